import type { CompiledGraph, Executor } from "../executor.js";
import { Graph } from "../graph.js";
import type { Feeds } from "../host-tensor.js";
import { buildDoraNormGraph } from "../models/dora-norm-graph.js";
import type { HfWeight } from "../models/hf-files.js";
import type { LoraPlan } from "../models/lora-targets.js";
import type { TrainedParameters } from "./lora-parameters.js";

/**
 * The `<path>.dora_norm` feeds a DoRA classifier needs: ‖W + s·B·A‖ per output row for the current A and B,
 * computed by a separate small graph so that no gradient flows through them (PEFT detaches the norm).
 * Without DoRA it feeds nothing.
 */
export class DoraNorms {
  private constructor(
    private readonly compiled: CompiledGraph | null,
    private readonly plan: LoraPlan,
  ) {}

  /** Compiles the norm graph over the frozen `weights` on `executor` when `plan` uses DoRA. */
  static async create(executor: Executor, weights: ReadonlyMap<string, HfWeight>, plan: LoraPlan): Promise<DoraNorms> {
    if (!plan.dora) return new DoraNorms(null, plan);
    const graph = new Graph();
    const outputs = buildDoraNormGraph(graph, weights, plan);
    return new DoraNorms(await executor.compile(graph, outputs), plan);
  }

  /** The norm feeds for `params` (empty without DoRA). */
  async feeds(params: TrainedParameters): Promise<Feeds> {
    if (!this.compiled) return {};
    const inputs: Record<string, Feeds[string]> = {};
    for (const target of this.plan.targets) {
      for (const [suffix, shape] of [["lora_A.weight", [target.inFeatures, this.plan.rank]], ["lora_B.weight", [this.plan.rank, target.outFeatures]]] as const) {
        inputs[`${target.path}.${suffix}`] = { data: params.get(`${target.path}.${suffix}`)!, shape: [...shape] };
      }
    }
    return this.compiled.run(inputs);
  }
}
