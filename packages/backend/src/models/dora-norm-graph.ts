import type { Graph } from "../graph.js";
import { add, matMul, mul, reduceSum, sqrt } from "../ops/index.js";
import type { Tensor } from "../ops/types.js";
import { ModelWeightsError, type HfWeight } from "./hf-files.js";
import type { LoraPlan } from "./lora-targets.js";
import { transpose2d } from "./transpose.js";

/**
 * DoRA's weight norms ‖W + s·B·A‖ per output row for every target, as outputs `<path>.dora_norm` of a small graph
 * that takes the same `lora_A` / `lora_B` inputs as the classifier. Running it apart and feeding its result in keeps
 * the norm out of the gradient, as PEFT detaches it.
 */
export function buildDoraNormGraph(g: Graph, weights: ReadonlyMap<string, HfWeight>, lora: LoraPlan): Record<string, Tensor> {
  const outputs: Record<string, Tensor> = {};
  for (const target of lora.targets) {
    const w = weights.get(`${target.path}.weight`);
    if (!w) throw new ModelWeightsError("(weights given to buildDoraNormGraph)", [`${target.path}.weight`], [], []);
    g.scope(target.path, () => {
      const frozen = g.weight(`${target.path}.weight`, "float32", [target.inFeatures, target.outFeatures], transpose2d(w.data, target.outFeatures, target.inFeatures));
      const a = g.input(`${target.path}.lora_A.weight`, "float32", [target.inFeatures, lora.rank]);
      const b = g.input(`${target.path}.lora_B.weight`, "float32", [lora.rank, target.outFeatures]);
      const merged = add(g, frozen, mul(g, matMul(g, a, b), lora.scale));
      outputs[`${target.path}.dora_norm`] = sqrt(g, reduceSum(g, mul(g, merged, merged), [0]));
    });
  }
  return outputs;
}
