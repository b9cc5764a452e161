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
  /** Why a candidate did not make it into the card; absent when selected. */
  readonly dropped?: "constant" | "low_iv" | "correlated" | "sign_flip";
  /** For "correlated": the kept feature it correlates with, and the correlation. */
  readonly correlatedWith?: string;
  readonly correlation?: number;
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
  readonly warnings: readonly string[];
  readonly scoreDistribution: ScoreDistribution;
}

export interface TrainOptionsResolved {
  readonly preBins: number;
  readonly minBinShare: number;
  readonly smoothing: number;
  readonly ivMin: number;
  readonly correlationMax: number;
  readonly l2: number;
  readonly peakIvGainMin: number;
  readonly categoricalChiSquareMin: number;
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
