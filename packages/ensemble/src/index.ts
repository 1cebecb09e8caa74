// Public API of @lora-litee/ensemble.

// Errors
export { EnsembleInputError, ModelFormatError, PredictionFileError } from "./errors.js";

// Linear models (shared by every member that needs a multinomial logistic regression)
export { denseFromRows, denseMatrix, stackRows } from "./models/feature-matrix.js";
export type { DenseMatrix, FeatureMatrix, SparseMatrix } from "./models/feature-matrix.js";
export { minimizeLbfgs } from "./models/lbfgs.js";
export type { LbfgsOptions, LbfgsResult, Objective } from "./models/lbfgs.js";
export { LogisticRegression, multinomialObjective } from "./models/logistic-regression.js";
export type { LogisticRegressionJson, LogisticRegressionOptions } from "./models/logistic-regression.js";
export { Standardizer } from "./models/standardizer.js";
export type { StandardizerJson } from "./models/standardizer.js";
