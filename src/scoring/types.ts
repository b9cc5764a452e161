// The scorecard artefact: a self-describing, JSON-safe model (no Infinity, no NaN, no undefined).
// Invariants: score = offset + Σ characteristic points (all integers); every value lands in exactly one bin.

/** A feature value as the behaviour model sees it: a number, a category, or missing (null/undefined/""). */
export type FeatureValue = number | string | null | undefined;

/** One row: feature values keyed by feature id (or CSV column name). */
export type FeatureRow = Readonly<Record<string, FeatureValue>>;

/** The WOE trend a numeric characteristic was constrained to. */
export type BinTrend = "ascending" | "descending" | "peak" | "valley";

interface BinStats {
  /** Human label, e.g. "[12, 24)", "{new car, used car}", "missing". */
  readonly label: string;
  /** ln(share of goods ÷ share of bads), smoothed; higher means lower risk. */
  readonly woe: number;
  /** Integer points this bin adds to the score. */
  readonly points: number;
  /** Training rows in the bin, and the bads among them. */
  readonly count: number;
  readonly badCount: number;
  /** A reason code for this bin alone (PMML Attribute reasonCode); absent: the characteristic's. */
  readonly reasonCode?: string;
}

/**
 * A numeric range bin, closed below and open above: lower ≤ x < upper.
 * `lower: null` means −∞ and `upper: null` means +∞ (JSON has no infinities).
 */
export interface RangeBin extends BinStats {
  readonly kind: "range";
  readonly lower: number | null;
  readonly upper: number | null;
}

/** A set of categories (exact, case-sensitive string match). */
export interface SetBin extends BinStats {
  readonly kind: "set";
  readonly categories: readonly string[];
}

/** The missing bin: null, undefined, empty string, NaN, or a non-numeric string for a numeric characteristic. */
export interface MissingBin extends BinStats {
  readonly kind: "missing";
}

export type Bin = RangeBin | SetBin | MissingBin;

interface CharacteristicBase {
  /** The feature id (row key) this characteristic reads. */
  readonly feature: string;
  /** Stable reason code reported when this characteristic costs points. */
  readonly reasonCode: string;
  /** Information value of the final binning on the training sample. */
  readonly iv: number;
  /** Logistic coefficient on the WOE column (negative: higher WOE, lower risk). */
  readonly coefficient: number;
  /** The most points any bin of this characteristic gives (PMML baselineScore for "pointsBelow"). */
  readonly maxPoints: number;
}

export interface NumericCharacteristic extends CharacteristicBase {
  readonly kind: "numeric";
  readonly trend: BinTrend;
  /** Range bins in increasing order, contiguous from −∞ to +∞. */
  readonly bins: readonly RangeBin[];
  readonly missing: MissingBin;
}

export interface CategoricalCharacteristic extends CharacteristicBase {
  readonly kind: "categorical";
  /** Disjoint category sets, in increasing WOE order. */
  readonly bins: readonly SetBin[];
  readonly missing: MissingBin;
  /**
   * Where a category never seen in training goes: an index into `bins`, or -1 for the missing bin.
   * It is the bin with the fewest points, so the unknown is never rewarded.
   */
  readonly unknownBin: number;
}

export type Characteristic = NumericCharacteristic | CategoricalCharacteristic;

/** Points scaling: score = offset + factor × ln(odds of good), factor = pdo / ln 2. */
export interface Scaling {
  /** Score at the base odds (e.g. 600). */
  readonly baseScore: number;
  /** Good:bad odds at the base score (e.g. 50 for 50:1). */
  readonly baseOdds: number;
  /** Points to double the odds (e.g. 20). */
  readonly pdo: number;
  readonly factor: number;
  /** Unrounded baseScore − factor × ln(baseOdds). */
  readonly offset: number;
  /** The intercept's share of the score, rounded: the score's constant term. */
  readonly basePoints: number;
  /** How points were rounded. */
  readonly rounding: "half_even_integer";
}

export interface ClassificationMetrics {
  readonly rows: number;
  readonly bads: number;
  readonly auc: number;
  readonly gini: number;
  readonly ks: number;
  readonly brier: number;
  /** Ten groups by predicted probability of bad, low to high. */
  readonly calibration: readonly CalibrationGroup[];
}

export interface CalibrationGroup {
  readonly count: number;
  readonly meanPredicted: number;
  readonly observedBadRate: number;
}

export interface IvEntry {
  readonly feature: string;
  readonly kind: "numeric" | "categorical";
  readonly iv: number;
  readonly bins: number;
  /**
   * Why a column did not make it into the card; absent when selected. `protected`: it stands for a protected
   * attribute and was left out of training; `not_selected`: stepwise selection found it adds no
   * cross-validated AUC; `sign_flip`: every fit that would take it gives it the wrong sign.
   */
  readonly dropped?: "constant" | "low_iv" | "correlated" | "sign_flip" | "protected" | "not_selected";
  /** For "correlated": the kept feature it correlates with, and the correlation. */
  readonly correlatedWith?: string;
  readonly correlation?: number;
  /** A protected column trained on anyway (`--allow-protected`). */
  readonly protected?: true;
  /** For a selected characteristic: the stepwise step that added it (1 = first) and the CV AUC after it. */
  readonly step?: number;
  readonly cvAuc?: number;
}

export interface MeanSd {
  readonly mean: number;
  readonly sd: number;
}

/** Out-of-fold rows grouped by the card's integer score: does the points scale match observed bad rates? */
export interface ScoreBandCheck {
  readonly minScore: number;
  readonly maxScore: number;
  readonly count: number;
  readonly bads: number;
  /** Mean probability of bad the scaling gives the rows' scores. */
  readonly meanPredicted: number;
  readonly observedBadRate: number;
}

/** A card recipe measured out of fold: per-fold figures as mean ± s.d., and the pooled out-of-fold checks. */
export interface RecipeEstimate {
  readonly auc: MeanSd;
  readonly ks: MeanSd;
  readonly brier: MeanSd;
  /** Out-of-fold probabilities, ten groups low to high. */
  readonly calibration: readonly CalibrationGroup[];
  /** Out-of-fold scores in ten bands: the odds → points scaling against observed bad rates. */
  readonly scoreBands: readonly ScoreBandCheck[];
}

/**
 * Stratified, seeded k-fold cross-validation of the final card's recipe (the selected characteristics, the
 * chosen L2): each fold is binned and fitted on the other folds and measured on itself.
 */
export interface CrossValidation extends RecipeEstimate {
  readonly folds: number;
  /** The L2 strength used, and the CV AUC of each one tried (when chosen by CV). */
  readonly l2: number;
  readonly l2Tried: readonly { readonly l2: number; readonly auc: number }[];
}

/** Score distribution of the training sample, for PSI without a baseline file. */
export interface ScoreDistribution {
  /** Ascending band edges; band i is [edges[i-1], edges[i]), the first from −∞, the last to +∞. */
  readonly edges: readonly number[];
  /** Share of training rows per band (edges.length + 1 bands). */
  readonly shares: readonly number[];
}

export interface TrainingMetadata {
  readonly rows: number;
  readonly bads: number;
  readonly badRate: number;
  readonly seed: number;
  /** SHA-256 (hex) of the training data as supplied by the caller (e.g. the CSV bytes). */
  readonly dataHash: string;
  readonly target: string;
  readonly badValue: string;
  readonly options: TrainOptionsResolved;
  /** The L2 strength the card was fitted with (given, chosen by CV, or 1 when there was nothing to choose on). */
  readonly l2Used?: number;
  readonly warnings: readonly string[];
  readonly scoreDistribution: ScoreDistribution;
  /** Columns that stand for a protected attribute; left out of training unless `allowProtected`. */
  readonly protectedColumns?: readonly string[];
  readonly allowProtected?: boolean;
}

export interface TrainOptionsResolved {
  /** Quantile pre-bins per numeric column before the optimal merge. */
  readonly preBins: number;
  /** Minimum share of the rows in every non-missing bin. */
  readonly minBinShare: number;
  /** Minimum bads and goods in every non-missing bin. */
  readonly minBinBads: number;
  readonly minBinGoods: number;
  /** Categories under this share of the rows are pooled into one rare group before grouping. */
  readonly rareLevelShare: number;
  readonly smoothing: number;
  readonly ivMin: number;
  readonly correlationMax: number;
  /** L2 strength on the WOE slopes; null: chosen by cross-validation from `l2Grid`. */
  readonly l2: number | null;
  readonly l2Grid: readonly number[];
  /** A single peak/valley is taken only if its IV beats the best monotone IV by this relative margin. */
  readonly peakIvGainMin: number;
  /** Cross-validation folds (selection, L2 and the reported estimate). */
  readonly folds: number;
  /** "stepwise": forward with a backward check on CV AUC; "iv": every column past IV, correlation and sign. */
  readonly selection: "stepwise" | "iv";
  /** Stepwise stops when the best addition gains less CV AUC than this. */
  readonly aucGainMin: number;
  /** Selection runs on a stratified seeded sample of at most this many rows (the final fit on all). */
  readonly selectionRowsMax: number;
}

/** The model artefact. `contentHash` is SHA-256 of the canonical JSON of everything else. */
export interface Scorecard {
  readonly format: "headroom.scorecard";
  readonly formatVersion: 1;
  readonly modelId: string;
  readonly scaling: Scaling;
  readonly intercept: number;
  readonly characteristics: readonly Characteristic[];
  /** Feature definition versions the card was trained against (passed in by the caller). */
  readonly featureVersions: Readonly<Record<string, string>>;
  readonly training: TrainingMetadata;
  readonly metrics: {
    readonly train: ClassificationMetrics;
    readonly test?: ClassificationMetrics;
    /** Absent with fewer than two folds (`folds: 0`) or too few bads to fold. */
    readonly cv?: CrossValidation;
    readonly ivTable: readonly IvEntry[];
    readonly droppedForSign: readonly string[];
  };
  readonly contentHash: string;
}

/** One characteristic's share of a score. */
export interface Contribution {
  readonly characteristic: string;
  readonly value: FeatureValue;
  /** The bin label. */
  readonly attribute: string;
  readonly points: number;
  readonly maxPoints: number;
  /** maxPoints − points: what this characteristic costs the borrower. */
  readonly pointsBelow: number;
  readonly reasonCode: string;
}

export interface ScoreResult {
  /** Integer score, higher is lower risk. */
  readonly score: number;
  /** Predicted probability of bad implied by the score. */
  readonly probability: number;
  readonly contributions: readonly Contribution[];
}
