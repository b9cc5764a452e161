// scoring: binning, WOE, logistic regression, scorecard points, metrics, JSON and PMML artefacts — pure.
export {
  bestPoints,
  betterRanges,
  categoryOf,
  categoryPoints,
  locateBin,
  numericValueOf,
  probabilityOfScore,
  rangeBinIndex,
  scoreRow,
} from "./score.js";
export type * from "./types.js";
