import { describe, expect, it } from "vitest";
import { LORA_CONFIG_DEFAULTS, LoraConfigError, loraScaling, parseLoraConfig } from "../src/index.js";

describe("parseLoraConfig", () => {
  it("fills PEFT's defaults", () => {
    const c = parseLoraConfig({});
    expect(c).toEqual(LORA_CONFIG_DEFAULTS);
    expect(c).toMatchObject({ r: 8, lora_alpha: 8, lora_dropout: 0, bias: "none", init_lora_weights: true, use_rslora: false, use_dora: false, peft_type: "LORA" });
  });

  it("accepts PEFT-only keys at their inert defaults", () => {
    expect(() => parseLoraConfig({ fan_in_fan_out: false, rank_pattern: {}, megatron_core: "megatron.core", loftq_config: {}, lora_bias: false })).not.toThrow();
  });

  it.each([
    [{ rank: 8 }, "rank", /a known LoraConfig field/],
    [{ r: 0 }, "r", /a positive integer/],
    [{ r: 2.5 }, "r", /a positive integer/],
    [{ lora_alpha: -1 }, "lora_alpha", /positive finite/],
    [{ lora_dropout: 1 }, "lora_dropout", /\[0, 1\)/],
    [{ bias: "all" }, "bias", /"none"/],
    [{ init_lora_weights: "olora" }, "init_lora_weights", /pissa_niter_<n>/],
    [{ task_type: "SEQ_CLASSIFICATION" }, "task_type", /SEQ_CLS/],
    [{ peft_type: "IA3" }, "peft_type", /"LORA"/],
    [{ fan_in_fan_out: true }, "fan_in_fan_out", /does not implement/],
    [{ rank_pattern: { q_proj: 4 } }, "rank_pattern", /does not implement/],
    [{ target_modules: [1] }, "target_modules", /list of module names/],
    [{ target_modules: ".*q_proj", layers_to_transform: [0] }, "layers_to_transform", /regex/],
    [{ use_dora: "yes" }, "use_dora", /true or false/],
  ])("%j → LoraConfigError on %s", (input, field, expected) => {
    try {
      parseLoraConfig(input, "adapter_config.json");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(LoraConfigError);
      expect((e as LoraConfigError).field).toBe(field);
      expect((e as Error).message).toMatch(/^adapter_config\.json: field /);
      expect((e as Error).message).toMatch(expected);
    }
  });

  it("accepts pissa_niter_N and keeps lists as copies", () => {
    const targets = ["q_proj", "v_proj"];
    const c = parseLoraConfig({ init_lora_weights: "pissa_niter_4", target_modules: targets });
    expect(c.init_lora_weights).toBe("pissa_niter_4");
    targets.push("x");
    expect(c.target_modules).toEqual(["q_proj", "v_proj"]);
  });
});

describe("loraScaling", () => {
  it("is alpha / r, or alpha / √r with rsLoRA", () => {
    expect(loraScaling({ r: 16, lora_alpha: 32, use_rslora: false })).toBe(2);
    expect(loraScaling({ r: 16, lora_alpha: 32, use_rslora: true })).toBe(8);
  });
});
