// scoring: binning, WOE, logistic regression, scorecard points, metrics, JSON and PMML artefacts — pure.
export { badDpdMin } from "./bad-definition.js";
export {
  type BinningOptions,
  binCategorical,
  binNumeric,
  type CategoricalBinning,
  type FeatureBinning,
  type NumericBinning,
  woeColumn,
  woeOf,
} from "./binning.js";
export { assignBins, type CompiledScorer, compileScorer, scoreDataset } from "./compile.js";
export {
  type CategoricalColumn,
  type Column,
  type Dataset,
  type DatasetError,
  type DatasetSpec,
  datasetFromTable,
  inferColumns,
  type NumericColumn,
  stratifiedSplit,
  subsetDataset,
  type TableSource,
  tableFromRecords,
} from "./dataset.js";
export { canonicalJson } from "./internal/canonical-json.js";
export { sha256Hex } from "./internal/sha256.js";
export { parseXml, type XmlElement, type XmlError } from "./internal/xml.js";
export { fitLogistic, type LogisticFit } from "./logistic.js";
export { auc, brier, calibration, characteristicShift, classificationMetrics, ks, psi } from "./metrics.js";
export { fromPmml, type PmmlError, pmmlNamespace, toPmml } from "./pmml.js";
export {
  assumptionPrefix,
  intervalLabel,
  type PmmlImportOptions,
  type ScalingStatement,
} from "./pmml-import.js";
export { evaluatePredicate, type PmmlPredicate, readPredicate } from "./pmml-predicate.js";
export {
  ageOfThingTokens,
  nameTokens,
  type ProtectedColumn,
  protectedAttributeOf,
  protectedColumnsOf,
  protectedNamePhrases,
} from "./protected.js";
export {
  bestPoints,
  betterRanges,
  binOf,
  categoryOf,
  categoryPoints,
  locateBin,
  numericValueOf,
  probabilityOfScore,
  rangeBinIndex,
  scoreRow,
} from "./score.js";
export {
  contentHashOf,
  defaultReasonCode,
  defaultScaling,
  defaultTrainOptions,
  rangeLabel,
  roundHalfEven,
  type SplitTrainOptions,
  setLabel,
  type TrainError,
  type TrainOptions,
  type TrainOutcome,
  trainScorecard,
  trainWithSplit,
} from "./train.js";
export type * from "./types.js";
