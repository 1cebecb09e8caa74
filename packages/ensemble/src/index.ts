// Public API of @lora-litee/ensemble.

// Errors
export { EnsembleInputError, ModelFormatError, PredictionFileError } from "./errors.js";

// Linear models (shared by every member that needs a multinomial logistic regression)
export { denseFromRows, denseMatrix } from "./models/feature-matrix.js";
export type { DenseMatrix, FeatureMatrix, SparseMatrix } from "./models/feature-matrix.js";
export { LogisticRegression } from "./models/logistic-regression.js";
export type { LogisticRegressionJson, LogisticRegressionOptions } from "./models/logistic-regression.js";
export { Standardizer } from "./models/standardizer.js";
export type { StandardizerJson } from "./models/standardizer.js";

// Prediction tables (Kaggle submission layout: id + three probabilities) and swap averaging
export { alignPredictions, CLASSES, labelsFor, PREDICTION_COLUMNS, predictionTable, SUM_TOLERANCE } from "./predictions/prediction-table.js";
export type { LabelTable, PredictionTable } from "./predictions/prediction-table.js";
export { swapAverage, unswapProbabilities } from "./predictions/swap.js";

// Metrics (Kaggle-clipped log loss, accuracy, calibration, confusion)
export { accuracy, accuracyNoTies } from "./metrics/accuracy.js";
export { expectedCalibrationError, reliabilityBins } from "./metrics/calibration.js";
export type { ReliabilityBin } from "./metrics/calibration.js";
export { confusionMatrix } from "./metrics/confusion-matrix.js";
export { evaluatePredictions } from "./metrics/evaluate.js";
export type { EvaluationSummary } from "./metrics/evaluate.js";
export { LOG_LOSS_EPSILON, logLoss } from "./metrics/log-loss.js";
export type { ProbabilityRows } from "./metrics/probability-rows.js";

// Ensemble strategies and calibration
export { applyTemperature, fitTemperature } from "./calibration/temperature-scaling.js";
export type { TemperatureOptions } from "./calibration/temperature-scaling.js";
export { createStrategy, loadStrategy, STRATEGIES, STRATEGY_NAMES } from "./strategies/registry.js";
export type { StrategyConfigs, StrategyJson } from "./strategies/registry.js";
export type { EnsembleStrategy, StrategyJsonBase, StrategyName } from "./strategies/strategy.js";
export { LogitMeanStrategy } from "./strategies/logit-mean.js";
export type { LogitMeanConfig, LogitMeanStrategyJson } from "./strategies/logit-mean.js";
export { MeanStrategy } from "./strategies/mean.js";
export type { MeanStrategyJson } from "./strategies/mean.js";
export { OptimizeStrategy } from "./strategies/optimize.js";
export type { OptimizeConfig, OptimizeStrategyJson } from "./strategies/optimize.js";
export { StackStrategy } from "./strategies/stack.js";
export type { StackConfig, StackStrategyJson } from "./strategies/stack.js";
export { TemperatureStrategy } from "./strategies/temperature.js";
export type { TemperatureStrategyJson } from "./strategies/temperature.js";
export { WeightedStrategy } from "./strategies/weighted.js";
export type { WeightedConfig, WeightedStrategyJson } from "./strategies/weighted.js";

// Classical members (length/structure features or TF-IDF of A − B, with logistic regression)
export { LENGTH_FEATURES, lengthFeatures } from "./members/length-features.js";
export { LengthMember } from "./members/length-member.js";
export type { LengthMemberJson, LengthMemberOptions } from "./members/length-member.js";
export type { PairRow, PreferenceLabel } from "./members/pair-row.js";
export { pairRowsFromTable } from "./members/pair-rows-from-table.js";
export { loadMember, MEMBER_KINDS, MEMBERS, trainMember } from "./members/registry.js";
export type { ClassicalMember, MemberJson, MemberKind, MemberOptions } from "./members/registry.js";
export { TfidfMember } from "./members/tfidf-member.js";
export type { TfidfMemberJson, TfidfMemberOptions } from "./members/tfidf-member.js";
export { TfidfVectorizer } from "./members/tfidf-vectorizer.js";
export type { TfidfOptions, TfidfVectorizerJson } from "./members/tfidf-vectorizer.js";

// Cross-validation of members and ensembles
export { crossValidate } from "./evaluation/cross-validate.js";
export { crossFitStrategy } from "./evaluation/cross-fit.js";
export type { CrossValidationOptions, CrossValidationResult, CrossValidationScore } from "./evaluation/cross-validate.js";

// LLM judge member (browser-safe core; the file-system answer cache is FileJudgeCache in the Node entry)
export { createChatClient } from "./judge/client.js";
export type { ChatAnswer, ChatClient, ChatClientOptions, ChatRequestSettings, ChatUsage } from "./judge/client.js";
export { MemoryJudgeCache } from "./judge/cache.js";
export type { CachedJudgeAnswer, JudgeCacheStore } from "./judge/cache.js";
export { JudgeCalibrationError, JudgeHttpError, JudgeOptionsError, JudgeTemplateError, JudgeTransportError } from "./judge/errors.js";
export { collectJudgeAnswers } from "./judge/judge-member.js";
export type { JudgeCollection, JudgeProgress, JudgeRowAnswers, JudgeRunOptions, JudgeRunReport, UnreadableAnswer } from "./judge/judge-member.js";
export { judgePredictions, labelledVerdicts } from "./judge/judge-predictions.js";
export type { JudgePredictions } from "./judge/judge-predictions.js";
export { parseVerdict, PROBABILITY_FLOOR, probabilitiesFromTopLogprobs } from "./judge/parse-verdict.js";
export type { TokenLogprobs, TopLogprob, Verdict } from "./judge/parse-verdict.js";
export { estimateJudgeCost, parseJudgePriceTable } from "./judge/prices.js";
export type { JudgePrices } from "./judge/prices.js";
export { JUDGE_TEMPLATE_V1, parseJudgeTemplate, renderJudgePrompt } from "./judge/prompt-template.js";
export type { ChatMessage, JudgeOrder, JudgePair, JudgeTemplate, RenderedJudgePrompt } from "./judge/prompt-template.js";
export type { RetryOptions } from "./judge/retry.js";
export { fitJudgeCalibration, parseJudgeCalibration } from "./judge/verdict-calibration.js";
export type { JudgeCalibration, JudgeCalibrationFitOptions, LabelledVerdict } from "./judge/verdict-calibration.js";

// Gradient-boosted trees (histogram GBDT, multiclass softmax)
export { GradientBoostedTrees, GBDT_FORMAT, GBDT_FORMAT_VERSION } from "./gbdt/booster.js";
export type { GbdtJson } from "./gbdt/booster.js";
export type { GbdtHistory } from "./gbdt/boosting-loop.js";
export type { RegressionTreeJson } from "./gbdt/tree.js";
export { GBDT_DEFAULTS, resolveGbdtOptions } from "./gbdt/options.js";
export type { GbdtOptions, ResolvedGbdtOptions } from "./gbdt/options.js";
export { GbdtFormatError, GbdtInputError, GbdtOptionsError } from "./gbdt/errors.js";
export { runGbdtBenchmark } from "./gbdt/benchmark.js";
export type { GbdtBenchmarkOptions, GbdtBenchmarkResult } from "./gbdt/benchmark.js";

// Rich pair features (length, structure, refusals, prompt overlap) for the classical members
export { joinTurns, swapPair } from "./features/pair-text.js";
export type { PairText } from "./features/pair-text.js";
export { RICH_FEATURES, richFeatures } from "./features/rich-features.js";
export type { FeatureInfo } from "./features/rich-features.js";

// Classical members on rich pair features (swap-augmented, swap-averaged)
export { GbdtMember } from "./members/gbdt-member.js";
export type { GbdtMemberJson } from "./members/gbdt-member.js";
export { RichLrMember } from "./members/rich-lr-member.js";
export type { RichLrMemberJson, RichLrOptions } from "./members/rich-lr-member.js";
export type { FeatureImportance } from "./members/feature-importance.js";
export { swapFeatureRows, swapLabels, withSwaps } from "./features/swap-features.js";
