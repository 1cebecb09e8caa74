import { dataSuite } from "./data-suite.js";
import { gbdtSuite } from "./gbdt-suite.js";
import { inferSuite } from "./infer-suite.js";
import { loraSuite } from "./lora-suite.js";
import type { Suite } from "./suite.js";
import { trainStepSuite } from "./train-step-suite.js";
import { trainSuite } from "./train-suite.js";

/** Every suite of `litee bench`, by name. */
export const SUITES = {
  data: dataSuite,
  lora: loraSuite,
  gbdt: gbdtSuite,
  "train-step": trainStepSuite,
  train: trainSuite,
  infer: inferSuite,
} as const satisfies Record<string, Suite>;

/** A suite's name, as `litee bench` takes it. */
export type SuiteName = keyof typeof SUITES;

/** Every suite name, in the order `litee bench all` runs them. */
export const SUITE_NAMES = Object.keys(SUITES) as SuiteName[];
