import type { Architecture } from "./architecture.js";
import { bertArchitecture } from "./bert/architecture.js";
import { gemma2Architecture } from "./gemma2/architecture.js";
import type { HfModel } from "./hf-model.js";
import { llamaArchitecture } from "./llama/architecture.js";

/** Each family's description, by its `HfModel.family` tag (a new family that lacks one does not compile). */
const ARCHITECTURES: { readonly [F in HfModel["family"]]: (model: Extract<HfModel, { family: F }>) => Architecture } = {
  llama: llamaArchitecture,
  gemma2: gemma2Architecture,
  bert: bertArchitecture,
};

/** What training and prediction need of `model`'s family. */
export function architectureOf(model: HfModel): Architecture {
  return (ARCHITECTURES[model.family] as (model: HfModel) => Architecture)(model);
}
