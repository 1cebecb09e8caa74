import type { Graph } from "../graph.js";
import { dropout, dropoutRowHash, type DropoutInputs } from "../nn/dropout.js";
import { linear, loraLinear, type LoraAdapter } from "../nn/linear.js";
import { add, div, mul, sub } from "../ops/index.js";
import type { Tensor } from "../ops/types.js";
import type { TrainableParameter } from "./architecture.js";
import type { LoraPlan } from "./lora-targets.js";

/**
 * A plan's adapters as graph inputs, shared by every family's graph builder: each Linear goes through `project`,
 * which adds the LoRA (or DoRA) branch when the plan adapts that module, and the head's tensors come from `head`.
 * Trained values are inputs, so one compiled graph serves every optimizer step.
 */
export interface LoraInjection {
  /** `x·W (+ bias)` for the Linear at `path` (`w` in the graph's `[in, out]` layout), with its adapter when it has one. */
  project(x: Tensor, path: string, w: Tensor, bias?: Tensor): Tensor;
  /** The trained input of head tensor `key` (graph layout: a weight `[hidden, classes]`); null when the head is frozen. */
  head(key: string): Tensor | null;
  /** LoRA factors (per target: A, B, DoRA's magnitude) then the head tensors, in plan order. */
  readonly trainable: readonly TrainableParameter[];
  /** DoRA only: the `<path>.dora_norm` inputs. */
  readonly doraNorms: readonly Tensor[];
  /** The `lora_dropout_seed` and `lora_dropout_rate` inputs when the graph drops out the LoRA inputs; null otherwise. */
  readonly dropout: DropoutInputs | null;
}

/** Options of `injectLora`. */
export interface LoraInjectionOptions {
  /** Build the plan's LoRA dropout (a training graph); inference graphs leave it out. Defaults to `false`. */
  readonly dropout?: boolean;
}

/** DoRA's per-target inputs besides A and B. */
interface DoraInputs {
  /** `lora_magnitude_vector`, trained, `[out]`. */
  readonly magnitude: Tensor;
  /** ‖W + s·B·A‖ per output row, fed from `buildDoraNormGraph` (detached from the gradient, as PEFT does), `[out]`. */
  readonly norm: Tensor;
}

/**
 * Declares the inputs of `plan` in `g` (none for null: the plain model). With `dropout` and a plan whose dropout is
 * above 0, each adapted module's LoRA branch reads its input through its own mask (PEFT's `lora_dropout`; under
 * DoRA the rescaled base term too, as PEFT computes it), fed by two scalar inputs: `lora_dropout_seed` (int64) and
 * `lora_dropout_rate` (float32; 0 for evaluation).
 */
export function injectLora(g: Graph, plan: LoraPlan | null, options: LoraInjectionOptions = {}): LoraInjection {
  const dropoutInputs = options.dropout && plan && plan.dropout > 0 ? { seed: g.input("lora_dropout_seed", "int64", []), rate: g.input("lora_dropout_rate", "float32", []) } : null;
  const salts = new Map(plan?.targets.map((t, i) => [t.path, i]));
  // q/k/v (and gate/up) read one input: its hash rounds are built once and shared
  const hashes = new Map<Tensor, Tensor>();
  const hashOf = (x: Tensor, inputs: DropoutInputs) => {
    const known = hashes.get(x);
    if (known) return known;
    const hash = dropoutRowHash(g, x, inputs);
    hashes.set(x, hash);
    return hash;
  };
  const trainable: TrainableParameter[] = [];
  const adapters = new Map<string, LoraAdapter>();
  const dora = new Map<string, DoraInputs>();
  const heads = new Map<string, Tensor>();
  for (const target of plan?.targets ?? []) {
    const a = g.input(`${target.path}.lora_A.weight`, "float32", [target.inFeatures, plan!.rank]);
    const b = g.input(`${target.path}.lora_B.weight`, "float32", [plan!.rank, target.outFeatures]);
    trainable.push({ key: a.name, tensor: a }, { key: b.name, tensor: b });
    adapters.set(target.path, { a, b, scale: plan!.scale });
    if (plan!.dora) {
      const magnitude = g.input(`${target.path}.lora_magnitude_vector`, "float32", [target.outFeatures]);
      trainable.push({ key: magnitude.name, tensor: magnitude });
      dora.set(target.path, { magnitude, norm: g.input(`${target.path}.dora_norm`, "float32", [target.outFeatures]) });
    }
  }
  for (const { key, shape } of plan?.head ?? []) {
    const tensor = g.input(key, "float32", shape.length === 2 ? [shape[1], shape[0]] : [...shape]);
    trainable.push({ key, tensor });
    heads.set(key, tensor);
  }
  return {
    trainable,
    doraNorms: [...dora.values()].map((d) => d.norm),
    dropout: dropoutInputs,
    head: (key) => heads.get(key) ?? null,
    project(x, path, w, bias) {
      const doraInputs = dora.get(path);
      const adapter = adapters.get(path);
      const loraInput = adapter && dropoutInputs ? dropout(g, x, dropoutInputs, salts.get(path)!, hashOf(x, dropoutInputs)) : x;
      if (!doraInputs) return loraLinear(g, x, w, adapter, bias, loraInput);
      const rowScale = div(g, doraInputs.magnitude, doraInputs.norm);
      // DoRA: m / ‖W + s·B·A‖ ⊙ (x·W + s·x·A·B) + bias
      if (loraInput === x) {
        const scaled = mul(g, loraLinear(g, x, w, adapter), rowScale);
        return bias ? add(g, scaled, bias) : scaled;
      }
      // with dropout, as PEFT: x·W + bias + (m/‖·‖ − 1) ⊙ x'·W + m/‖·‖ ⊙ s·x'·A·B, x' the dropped input
      const dropped = mul(g, loraLinear(g, loraInput, w, adapter), rowScale);
      return add(g, sub(g, dropped, linear(g, loraInput, w)), linear(g, x, w, bias));
    },
  };
}
