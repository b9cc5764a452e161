// Import of PMML 4.4 Scorecards written by other tools: each single-field Characteristic is reduced, exactly,
// to Headroom's range or set bins by evaluating PMML's first-match rule on every piece of the field's domain.

import { sha256Hex } from "./internal/sha256.js";
import type { XmlElement } from "./internal/xml.js";
import {
  type Cell,
  constantsOf,
  evaluatePredicate,
  fieldsOf,
  invalid,
  nextDown,
  nextUp,
  numericConstant,
  type PmmlPredicate,
  readPredicate,
  unsupported,
  usesOrdering,
} from "./pmml-predicate.js";
import { contentHashOf, defaultReasonCode, defaultScaling, defaultTrainOptions, setLabel } from "./train.js";
import type {
  BinTrend,
  CategoricalCharacteristic,
  Characteristic,
  MissingBin,
  NumericCharacteristic,
  RangeBin,
  Scaling,
  Scorecard,
  SetBin,
} from "./types.js";

/** A points scaling stated by the caller: score `baseScore` at good:bad odds `baseOdds`, `pdo` to double them. */
export interface ScalingStatement {
  readonly baseScore: number;
  readonly baseOdds: number;
  readonly pdo: number;
}

export interface PmmlImportOptions {
  /** Scaling for a card that states none (default 600 points at 50:1, PDO 20, recorded as an assumption). */
  readonly scaling?: ScalingStatement;
}

/** Prefix of the training warnings that record what the import assumed (the CLI prints these). */
export const assumptionPrefix = "assumption: ";
/** Characteristics one card may hold. */
export const characteristicsMax = 512;
/** Attributes one characteristic may hold. */
export const attributesMax = 1_024;

interface FieldInfo {
  readonly optype: string;
  readonly dataType: string;
  /** MiningField missingValueReplacement: what a missing value is scored as. */
  readonly replacement: string | null;
}

interface AttributeIn {
  readonly predicate: PmmlPredicate;
  readonly points: number;
  readonly reasonCode: string | null;
}

const numericDataTypes = new Set(["integer", "float", "double"]);

function numberAttr(e: XmlElement, name: string): number | null {
  const raw = e.attributes[name];
  if (raw === undefined) return null;
  const x = raw.trim() === "" ? Number.NaN : Number(raw);
  if (!Number.isFinite(x)) invalid(`<${e.name}> ${name}="${raw}" is not a number`);
  return x;
}

function children(e: XmlElement, name: string): XmlElement[] {
  return e.children.filter((c) => c.name === name);
}

function shorter(a: number, b: number): boolean {
  return String(a).length < String(b).length;
}

/** A bin label in the bound form the PMML most likely used: "(25, 40]" for x > 25 and x ≤ 40. */
export function intervalLabel(lower: number | null, upper: number | null): string {
  const lowerOpen = lower !== null && shorter(nextDown(lower), lower);
  const upperClosed = upper !== null && shorter(nextDown(upper), upper);
  const lo = lower === null ? null : lowerOpen ? nextDown(lower) : lower;
  const hi = upper === null ? null : upperClosed ? nextDown(upper) : upper;
  if (lo === null && hi === null) return "any";
  if (lo === null) return `${upperClosed ? "<=" : "<"} ${hi}`;
  if (hi === null) return `${lowerOpen ? ">" : ">="} ${lo}`;
  if (!lowerOpen && upperClosed && lo === hi) return `= ${lo}`;
  return `${lowerOpen ? "(" : "["}${lo}, ${hi}${upperClosed ? "]" : ")"}`;
}

function trendOf(points: readonly number[]): BinTrend {
  const up = points.every((p, i) => i === 0 || p >= points[i - 1]!);
  const down = points.every((p, i) => i === 0 || p <= points[i - 1]!);
  if (up) return "ascending";
  if (down) return "descending";
  const top = points.indexOf(Math.max(...points));
  return top > 0 && top < points.length - 1 ? "peak" : "valley";
}

interface Scored {
  readonly points: number;
  readonly reasonCode?: string;
}

function reduce(
  name: string,
  field: string,
  info: FieldInfo,
  attrs: readonly AttributeIn[],
  reasonCode: string,
  maxPoints: number,
  warnings: string[],
): Characteristic {
  const lowest = Math.min(...attrs.map((a) => a.points));
  let unmatched = false;
  const scoredAs = (index: number): Scored => {
    if (index < 0) {
      unmatched = true;
      return { points: lowest };
    }
    const a = attrs[index]!;
    return a.reasonCode !== null && a.reasonCode !== reasonCode
      ? { points: a.points, reasonCode: a.reasonCode }
      : { points: a.points };
  };
  const firstMatch = (cell: Cell): number =>
    attrs.findIndex((a) => evaluatePredicate(a.predicate, (f) => (f === field ? cell : null)) === true);
  const stats = { woe: 0, count: 0, badCount: 0 };
  const numeric =
    info.optype === "continuous" ||
    (numericDataTypes.has(info.dataType) && attrs.some((a) => usesOrdering(a.predicate)));
  const constants = attrs.flatMap((a) => constantsOf(a.predicate, field));
  const common = { feature: field, reasonCode, iv: 0, coefficient: 0, maxPoints };
  let result: Characteristic;
  if (numeric) {
    const missingCell = info.replacement === null ? null : numericConstant(field, info.replacement);
    const cuts = new Set<number>();
    for (const { op, value } of constants) {
      const v = numericConstant(field, value);
      if (op === "lessThan" || op === "greaterOrEqual") cuts.add(v);
      else if (op === "lessOrEqual" || op === "greaterThan") cuts.add(nextUp(v));
      else {
        cuts.add(v);
        cuts.add(nextUp(v));
      }
    }
    const sorted = [...cuts].sort((a, b) => a - b);
    // Every predicate is constant on each piece between consecutive cuts, so one value per piece decides it.
    const pieces = sorted.length === 0 ? [0] : [Number.NEGATIVE_INFINITY, ...sorted];
    const owners = pieces.map(firstMatch);
    const bins: RangeBin[] = [];
    for (let i = 0; i < pieces.length; i++) {
      if (i > 0 && owners[i] === owners[i - 1]) continue;
      let j = i;
      while (j + 1 < pieces.length && owners[j + 1] === owners[i]) j++;
      const lower = i === 0 ? null : sorted[i - 1]!;
      const upper = j === pieces.length - 1 ? null : sorted[j]!;
      const label = intervalLabel(lower, upper) + (owners[i]! < 0 ? " (no attribute matched)" : "");
      bins.push({ kind: "range", label, lower, upper, ...stats, ...scoredAs(owners[i]!) });
    }
    const missing: MissingBin = {
      kind: "missing",
      label: "missing",
      ...stats,
      ...scoredAs(firstMatch(missingCell)),
    };
    const c: NumericCharacteristic = {
      ...common,
      kind: "numeric",
      trend: trendOf(bins.map((b) => b.points)),
      bins,
      missing,
    };
    result = c;
  } else {
    const categories = [...new Set(constants.map((c) => c.value))];
    let other = "\u0000other";
    while (categories.includes(other)) other += "\u0000";
    const groups = new Map<number, string[]>();
    for (const category of categories) {
      const owner = firstMatch(category);
      groups.set(owner, [...(groups.get(owner) ?? []), category]);
    }
    const otherOwner = firstMatch(other);
    if (!groups.has(otherOwner)) groups.set(otherOwner, []);
    const order = [...groups.keys()].sort((a, b) => (a < 0 ? 1 : b < 0 ? -1 : a - b));
    const bins: SetBin[] = order.map((owner) => {
      const members = groups.get(owner)!;
      const label =
        (members.length === 0
          ? "other"
          : owner === otherOwner
            ? `${setLabel(members)} | other`
            : setLabel(members)) + (owner < 0 ? " (no attribute matched)" : "");
      return { kind: "set", label, categories: members, ...stats, ...scoredAs(owner) };
    });
    const missing: MissingBin = {
      kind: "missing",
      label: "missing",
      ...stats,
      ...scoredAs(firstMatch(info.replacement)),
    };
    const c: CategoricalCharacteristic = {
      ...common,
      kind: "categorical",
      bins,
      missing,
      unknownBin: order.indexOf(otherOwner),
    };
    result = c;
  }
  if (unmatched) {
    warnings.push(
      `${assumptionPrefix}characteristic "${name}": values no attribute matches (PMML leaves them unscored) score its lowest partial score, ${lowest}`,
    );
  }
  return result;
}

function fieldInfos(root: XmlElement, card: XmlElement): Map<string, FieldInfo> {
  const dictionary = children(root, "DataDictionary")[0] ?? invalid("no <DataDictionary>");
  const replacements = new Map<string, string>();
  const schema = children(card, "MiningSchema")[0];
  for (const m of schema ? children(schema, "MiningField") : []) {
    const r = m.attributes.missingValueReplacement;
    if (m.attributes.name !== undefined && r !== undefined) replacements.set(m.attributes.name, r);
  }
  return new Map(
    children(dictionary, "DataField").map((f) => {
      const name = f.attributes.name ?? invalid("a DataField has no name");
      return [
        name,
        {
          optype: f.attributes.optype ?? "",
          dataType: f.attributes.dataType ?? "",
          replacement: replacements.get(name) ?? null,
        },
      ] as const;
    }),
  );
}

/** Reads a Scorecard that carries no Headroom metadata; `text` is the whole document (hashed as provenance). */
export function importForeignScorecard(
  text: string,
  root: XmlElement,
  card: XmlElement,
  options: PmmlImportOptions,
): Scorecard {
  const warnings: string[] = [];
  const infos = fieldInfos(root, card);
  const useReasonCodes = card.attributes.useReasonCodes !== "false";
  const algorithm = card.attributes.reasonCodeAlgorithm ?? "pointsBelow";
  if (algorithm !== "pointsBelow" && algorithm !== "pointsAbove")
    invalid(`reasonCodeAlgorithm "${algorithm}"`);
  // Headroom reads a higher score as lower risk and ranks reasons by points below the baseline; a
  // pointsAbove card reads the other way, so every score of it is negated (the reasons keep their order).
  const sign = algorithm === "pointsAbove" ? -1 : 1;
  if (sign < 0)
    warnings.push(
      `${assumptionPrefix}reasonCodeAlgorithm "pointsAbove": scores are negated so that a higher score means lower risk`,
    );
  const method = card.attributes.baselineMethod ?? "other";
  const cardBaseline = numberAttr(card, "baselineScore");
  const list = children(card, "Characteristics")[0] ?? invalid("no <Characteristics>");
  const elements = children(list, "Characteristic");
  if (elements.length === 0) invalid("a scorecard without characteristics");
  if (elements.length > characteristicsMax) unsupported(`more than ${characteristicsMax} characteristics`);
  const characteristics = elements.map((e, i) => {
    const name = e.attributes.name ?? `characteristic ${i + 1}`;
    const attrElements = children(e, "Attribute");
    if (attrElements.length === 0) invalid(`characteristic "${name}" has no attributes`);
    if (attrElements.length > attributesMax)
      unsupported(`"${name}" has more than ${attributesMax} attributes`);
    const attrs: AttributeIn[] = attrElements.map((a) => {
      if (a.attributes.partialScore === undefined)
        unsupported(`an attribute of "${name}" without a partialScore (ComplexPartialScore)`);
      const p = a.children.find((c) => c.name !== "Extension" && c.name !== "ComplexPartialScore");
      return {
        predicate: readPredicate(p ?? invalid(`an attribute of "${name}" has no predicate`)),
        points: sign * numberAttr(a, "partialScore")!,
        reasonCode: a.attributes.reasonCode ?? null,
      };
    });
    const fields = [...new Set(attrs.flatMap((a) => fieldsOf(a.predicate)))];
    if (fields.length === 0) invalid(`characteristic "${name}" reads no field`);
    if (fields.length > 1)
      unsupported(`characteristic "${name}" reads several fields (${fields.join(", ")})`);
    const field = fields[0]!;
    const info = infos.get(field) ?? invalid(`field "${field}" is not in the DataDictionary`);
    // Baselines are read on the card's own scale, then follow the sign.
    const own = attrs.map((a) => sign * a.points);
    const best = sign > 0 ? Math.max(...own) : Math.min(...own);
    const baseline =
      sign *
      (numberAttr(e, "baselineScore") ??
        cardBaseline ??
        (method === "max" ? Math.max(...own) : method === "min" ? Math.min(...own) : best));
    const reasonCode =
      e.attributes.reasonCode ??
      (useReasonCodes && attrs.every((a) => a.reasonCode !== null)
        ? attrs[0]!.reasonCode!
        : defaultReasonCode(field));
    return reduce(name, field, info, attrs, reasonCode, baseline, warnings);
  });
  const stated = options.scaling;
  const statement = stated ?? defaultScaling;
  if (stated === undefined) {
    warnings.push(
      `${assumptionPrefix}the PMML states no probability scaling; assumed ${statement.baseScore} points at ${statement.baseOdds}:1 good:bad odds, ${statement.pdo} points to double the odds`,
    );
  }
  const factor = statement.pdo / Math.LN2;
  const baseScore = sign * statement.baseScore;
  const scaling: Scaling = {
    baseScore,
    baseOdds: statement.baseOdds,
    pdo: statement.pdo,
    factor,
    offset: baseScore - factor * Math.log(statement.baseOdds),
    basePoints: sign * (numberAttr(card, "initialScore") ?? 0),
    rounding: "half_even_integer",
  };
  const schema = children(card, "MiningSchema")[0];
  const target =
    (schema ? children(schema, "MiningField") : []).find(
      (m) => m.attributes.usageType === "predicted" || m.attributes.usageType === "target",
    )?.attributes.name ?? "";
  const body: Omit<Scorecard, "contentHash"> = {
    format: "headroom.scorecard",
    formatVersion: 1,
    modelId: card.attributes.modelName ?? "pmml-scorecard",
    scaling,
    intercept: 0,
    characteristics,
    featureVersions: {},
    training: {
      rows: 0,
      bads: 0,
      badRate: 0,
      seed: 0,
      dataHash: sha256Hex(text),
      target,
      badValue: "",
      options: defaultTrainOptions,
      warnings: [
        `imported from PMML (${elements.length} characteristics); no training data or metrics`,
        ...warnings,
      ],
      scoreDistribution: { edges: [], shares: [1] },
    },
    metrics: {
      train: { rows: 0, bads: 0, auc: 0, gini: 0, ks: 0, brier: 0, calibration: [] },
      ivTable: characteristics.map((c) => ({ feature: c.feature, kind: c.kind, iv: 0, bins: c.bins.length })),
      droppedForSign: [],
    },
  };
  return { ...body, contentHash: contentHashOf(body) };
}
