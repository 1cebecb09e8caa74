import { Rng } from "@lora-litee/lora";
import { afterAll, describe, expect, it } from "vitest";
import { Executor } from "../executor.js";
import { Graph } from "../graph.js";
import { dropout, dropoutSeed } from "../nn/dropout.js";
import { injectLora } from "./lora-injection.js";
import type { LoraPlan } from "./lora-targets.js";

const executor = new Executor({ intraOpNumThreads: 1 });
afterAll(() => executor.release());

const [rows, inF, outF, rank, scale] = [40, 5, 3, 2, 2];
const plan: LoraPlan = {
  targets: [{ path: "layer", layer: 0, module: "layer", inFeatures: inF, outFeatures: outF }],
  rank,
  scale,
  dropout: 0.3,
  dora: true,
  headModule: "score",
  head: [],
};
const rng = new Rng(8);
const draw = (n: number) => rng.fillNormal(new Float32Array(n), 1) as Float32Array;
const values = { x: draw(rows * inF), w: draw(inF * outF), bias: draw(outF), a: draw(inF * rank), b: draw(rank * outF), m: draw(outF).map((v) => 1 + Math.abs(v)), n: draw(outF).map((v) => 1 + Math.abs(v)) };

/** The injected DoRA Linear at dropout `rate`, and the module's mask drawn on a tensor of ones with the same seed and salt. */
async function run(rate: number): Promise<{ y: Float32Array; mask: Float32Array }> {
  const g = new Graph();
  const x = g.input("x", "float32", ["rows", inF]);
  const injection = injectLora(g, plan, { dropout: true });
  const y = injection.project(x, "layer", g.weight("w", "float32", [inF, outF], values.w), g.weight("bias", "float32", [outF], values.bias));
  const mask = dropout(g, g.input("ones", "float32", ["rows", inF]), injection.dropout!, 0);
  const out = await (await executor.compile(g, { y, mask })).run({
    x: { data: values.x, shape: [rows, inF] },
    ones: { data: new Float32Array(rows * inF).fill(1), shape: [rows, inF] },
    "layer.lora_A.weight": { data: values.a, shape: [inF, rank] },
    "layer.lora_B.weight": { data: values.b, shape: [rank, outF] },
    "layer.lora_magnitude_vector": { data: values.m, shape: [outF] },
    "layer.dora_norm": { data: values.n, shape: [outF] },
    lora_dropout_seed: { data: BigInt64Array.of(BigInt(dropoutSeed(1, 2))), shape: [] },
    lora_dropout_rate: { data: Float32Array.of(rate), shape: [] },
  });
  return { y: out.y.data as Float32Array, mask: out.mask.data as Float32Array };
}

/** PEFT's DoRA output in float64: x·W + b + (m/n − 1) ⊙ x'·W + m/n ⊙ s·x'·A·B, with x' = x ⊙ mask. */
function peftDora(mask: Float32Array): Float64Array {
  const out = new Float64Array(rows * outF);
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < outF; o++) {
      const k = values.m[o] / values.n[o];
      let base = values.bias[o];
      let dropped = 0;
      let low = 0;
      for (let i = 0; i < inF; i++) {
        const xi = values.x[r * inF + i];
        const xd = xi * mask[r * inF + i];
        base += xi * values.w[i * outF + o];
        dropped += xd * values.w[i * outF + o];
        let ab = 0;
        for (let j = 0; j < rank; j++) ab += values.a[i * rank + j] * values.b[j * outF + o];
        low += xd * ab;
      }
      out[r * outF + o] = base + (k - 1) * dropped + k * scale * low;
    }
  }
  return out;
}

describe("injectLora", () => {
  it("applies DoRA on the dropped input as PEFT does, and reduces to m/‖·‖ ⊙ (x·W + s·x·A·B) + b at rate 0", async () => {
    const { y, mask } = await run(0.3);
    expect(mask.some((v) => v === 0)).toBe(true);
    peftDora(mask).forEach((v, i) => expect(y[i]).toBeCloseTo(v, 4));
    const plain = await run(0);
    expect(plain.mask.every((v) => v === 1)).toBe(true);
    peftDora(plain.mask).forEach((v, i) => expect(plain.y[i]).toBeCloseTo(v, 4));
  });
});
