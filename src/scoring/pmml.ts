// PMML 4.4 Scorecard export and import. Scores come only from standard elements (Characteristic,
// Attribute partialScore, predicates, initialScore); WOE, counts and training metadata ride along in
// Extension elements so a Headroom round trip is lossless (same content hash). Cards from other tools
// (no Headroom metadata) go through pmml-import.ts.

import { assertNever, err, ok, type Result, reject } from "../kernel/index.js";
import { escapeXml, parseXml, type XmlElement } from "./internal/xml.js";
import { importForeignScorecard, type PmmlImportOptions } from "./pmml-import.js";
import { nextDown, nextUp, type PmmlError, PmmlFault, parseArray, unsupported } from "./pmml-predicate.js";
import { contentHashOf, rangeLabel, setLabel } from "./train.js";
import type {
  Bin,
  CategoricalCharacteristic,
  Characteristic,
  MissingBin,
  NumericCharacteristic,
  RangeBin,
  Scorecard,
  SetBin,
} from "./types.js";

export const pmmlNamespace = "http://www.dmg.org/PMML-4_4";
export const reasonCodesOutput = 4;
const extender = "headroom";

export type { PmmlError } from "./pmml-predicate.js";

function num(x: number): string {
  return String(x);
}

function arrayText(values: readonly string[]): string {
  return values.map((v) => `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`).join(" ");
}

function ext(name: string, value: string, indent: string): string {
  return `${indent}<Extension extender="${extender}" name="${name}" value="${escapeXml(value)}"/>\n`;
}

function binExtensions(bin: Bin, indent: string): string {
  return (
    ext("label", bin.label, indent) +
    ext("woe", num(bin.woe), indent) +
    ext("count", num(bin.count), indent) +
    ext("badCount", num(bin.badCount), indent)
  );
}

/**
 * A bound in the shorter of its two exact forms: x ≥ b is x > nextDown(b) on doubles, so a bin read from
 * "x > 25" (lower = nextUp(25)) is written back as "greaterThan 25", not "greaterOrEqual 25.000000000000004".
 */
function boundPredicate(f: string, bound: number, side: "lower" | "upper"): string {
  const below = nextDown(bound);
  const open = String(below).length < String(bound).length;
  const operator =
    side === "lower" ? (open ? "greaterThan" : "greaterOrEqual") : open ? "lessOrEqual" : "lessThan";
  return `<SimplePredicate field="${f}" operator="${operator}" value="${num(open ? below : bound)}"/>`;
}

function rangePredicate(field: string, bin: RangeBin, indent: string): string {
  const f = escapeXml(field);
  const ge = bin.lower === null ? null : boundPredicate(f, bin.lower, "lower");
  const lt = bin.upper === null ? null : boundPredicate(f, bin.upper, "upper");
  if (ge && lt) {
    return `${indent}<CompoundPredicate booleanOperator="and">\n${indent}  ${ge}\n${indent}  ${lt}\n${indent}</CompoundPredicate>\n`;
  }
  return `${indent}${ge ?? lt ?? "<True/>"}\n`;
}

function attribute(body: string, bin: Bin, indent: string): string {
  const code = bin.reasonCode === undefined ? "" : ` reasonCode="${escapeXml(bin.reasonCode)}"`;
  return `${indent}<Attribute partialScore="${num(bin.points)}"${code}>\n${binExtensions(bin, `${indent}  `)}${body}${indent}</Attribute>\n`;
}

function characteristicXml(c: Characteristic): string {
  const f = escapeXml(c.feature);
  const head =
    `    <Characteristic name="${f}" reasonCode="${escapeXml(c.reasonCode)}" baselineScore="${num(c.maxPoints)}">\n` +
    ext("iv", num(c.iv), "      ") +
    ext("coefficient", num(c.coefficient), "      ") +
    (c.kind === "numeric" ? ext("trend", c.trend, "      ") : "");
  let body = attribute(`        <SimplePredicate field="${f}" operator="isMissing"/>\n`, c.missing, "      ");
  switch (c.kind) {
    case "numeric":
      for (const bin of c.bins) body += attribute(rangePredicate(c.feature, bin, "        "), bin, "      ");
      break;
    case "categorical": {
      for (const bin of c.bins) {
        const set =
          `        <SimpleSetPredicate field="${f}" booleanOperator="isIn">\n` +
          `          <Array n="${bin.categories.length}" type="string">${escapeXml(arrayText(bin.categories))}</Array>\n` +
          "        </SimpleSetPredicate>\n";
        body += attribute(set, bin, "      ");
      }
      const fallback = c.unknownBin >= 0 ? c.bins[c.unknownBin]! : c.missing;
      body +=
        `      <Attribute partialScore="${num(fallback.points)}">\n` +
        ext("unknownBin", num(c.unknownBin), "        ") +
        "        <True/>\n      </Attribute>\n";
      break;
    }
    default:
      assertNever(c, "characteristic kind");
  }
  return `${head}${body}    </Characteristic>\n`;
}

/** The scorecard as a PMML 4.4 document. */
export function toPmml(model: Scorecard): string {
  const fields = model.characteristics
    .map((c) => {
      const optype =
        c.kind === "numeric"
          ? 'optype="continuous" dataType="double"'
          : 'optype="categorical" dataType="string"';
      return `    <DataField name="${escapeXml(c.feature)}" ${optype}/>\n`;
    })
    .join("");
  const mining = model.characteristics
    .map(
      (c) =>
        `      <MiningField name="${escapeXml(c.feature)}" usageType="active" invalidValueTreatment="asMissing"/>\n`,
    )
    .join("");
  const reasons = Array.from(
    { length: reasonCodesOutput },
    (_, i) =>
      `      <OutputField name="reasonCode${i + 1}" rank="${i + 1}" feature="reasonCode" dataType="string" optype="categorical"/>\n`,
  ).join("");
  const metadata = {
    format: model.format,
    formatVersion: model.formatVersion,
    modelId: model.modelId,
    intercept: model.intercept,
    scaling: model.scaling,
    featureVersions: model.featureVersions,
    training: model.training,
    metrics: model.metrics,
  };
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<PMML xmlns="${pmmlNamespace}" version="4.4">\n` +
    `  <Header description="Headroom behaviour scorecard ${escapeXml(model.modelId)}, content hash ${model.contentHash}">\n` +
    '    <Application name="headroom"/>\n' +
    "  </Header>\n" +
    `  <DataDictionary numberOfFields="${model.characteristics.length + 1}">\n${fields}` +
    '    <DataField name="score" optype="continuous" dataType="double"/>\n' +
    "  </DataDictionary>\n" +
    `  <Scorecard modelName="${escapeXml(model.modelId)}" functionName="regression" useReasonCodes="true" ` +
    `reasonCodeAlgorithm="pointsBelow" initialScore="${num(model.scaling.basePoints)}" baselineMethod="max">\n` +
    ext("metadata", JSON.stringify(metadata), "    ") +
    `    <MiningSchema>\n${mining}      <MiningField name="score" usageType="predicted"/>\n    </MiningSchema>\n` +
    "    <Output>\n" +
    '      <OutputField name="finalScore" feature="predictedValue" dataType="double" optype="continuous"/>\n' +
    `${reasons}    </Output>\n` +
    `    <Characteristics>\n${model.characteristics.map(characteristicXml).join("")}    </Characteristics>\n` +
    "  </Scorecard>\n" +
    "</PMML>\n"
  );
}

function child(e: XmlElement, name: string): XmlElement | undefined {
  return e.children.find((c) => c.name === name);
}

function extensions(e: XmlElement): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of e.children) {
    if (c.name === "Extension" && c.attributes.extender === extender && c.attributes.name !== undefined) {
      out.set(c.attributes.name, c.attributes.value ?? "");
    }
  }
  return out;
}

function invalid(message: string): never {
  throw new PmmlFault({ code: "pmml_invalid", message });
}

function numberAttr(e: XmlElement, name: string): number {
  const raw = e.attributes[name];
  const value = raw === undefined ? Number.NaN : Number(raw);
  if (!Number.isFinite(value)) invalid(`<${e.name}> needs a numeric ${name}`);
  return value;
}

function predicateOf(attr: XmlElement): XmlElement {
  const p = attr.children.find((c) => c.name !== "Extension");
  if (!p) invalid("an Attribute has no predicate");
  return p;
}

/** Reads a range bin's bounds from its predicate (True, one SimplePredicate, or an "and" of two). */
function boundsOf(p: XmlElement): { lower: number | null; upper: number | null } {
  if (p.name === "True") return { lower: null, upper: null };
  const parts = p.name === "CompoundPredicate" ? p.children.filter((c) => c.name === "SimplePredicate") : [p];
  if (p.name === "CompoundPredicate" && p.attributes.booleanOperator !== "and") {
    unsupported("only an 'and' CompoundPredicate describes a numeric range");
  }
  let lower: number | null = null;
  let upper: number | null = null;
  for (const s of parts) {
    if (s.name !== "SimplePredicate") unsupported(`predicate <${s.name}> on a numeric characteristic`);
    const op = s.attributes.operator;
    if (op === "greaterOrEqual") lower = numberAttr(s, "value");
    else if (op === "greaterThan") lower = nextUp(numberAttr(s, "value"));
    else if (op === "lessThan") upper = numberAttr(s, "value");
    else if (op === "lessOrEqual") upper = nextUp(numberAttr(s, "value"));
    else unsupported(`numeric operator "${op}" in a Headroom range`);
  }
  return { lower, upper };
}

function binStats(attr: XmlElement): {
  woe: number;
  count: number;
  badCount: number;
  points: number;
  reasonCode?: string;
} {
  const x = extensions(attr);
  const read = (name: string): number => (x.has(name) ? Number(x.get(name)) : 0);
  const stats = {
    woe: read("woe"),
    count: read("count"),
    badCount: read("badCount"),
    points: numberAttr(attr, "partialScore"),
  };
  const code = attr.attributes.reasonCode;
  return code === undefined ? stats : { ...stats, reasonCode: code };
}

/** The label written with the bin, else the one its bounds or categories give. */
function labelOf(attr: XmlElement, fallback: string): string {
  return extensions(attr).get("label") ?? fallback;
}

function readCharacteristic(e: XmlElement, optypes: ReadonlyMap<string, string>): Characteristic {
  const attrs = e.children.filter((c) => c.name === "Attribute");
  const x = extensions(e);
  let feature: string | undefined;
  let missing: MissingBin | undefined;
  const ranges: RangeBin[] = [];
  const sets: SetBin[] = [];
  let fallback: { points: number; unknownBin: number | null } | undefined;
  for (const attr of attrs) {
    const p = predicateOf(attr);
    const field = p.attributes.field ?? p.children.find((c) => c.attributes.field)?.attributes.field;
    if (field !== undefined) {
      if (feature !== undefined && feature !== field)
        unsupported("a characteristic that reads several fields");
      feature = field;
    }
    const stats = binStats(attr);
    if (p.name === "SimplePredicate" && p.attributes.operator === "isMissing") {
      missing = { kind: "missing", label: labelOf(attr, "missing"), ...stats };
    } else if (p.name === "SimpleSetPredicate") {
      if (p.attributes.booleanOperator !== "isIn") unsupported("SimpleSetPredicate other than isIn");
      const categories = parseArray(child(p, "Array")?.text ?? "");
      sets.push({ kind: "set", label: labelOf(attr, setLabel(categories)), categories, ...stats });
    } else if (p.name === "True" && optypes.get(feature ?? "") === "categorical") {
      const ux = extensions(attr);
      fallback = {
        points: stats.points,
        unknownBin: ux.has("unknownBin") ? Number(ux.get("unknownBin")) : null,
      };
    } else {
      const { lower, upper } = boundsOf(p);
      ranges.push({ kind: "range", label: labelOf(attr, rangeLabel(lower, upper)), lower, upper, ...stats });
    }
  }
  if (feature === undefined) invalid(`characteristic "${e.attributes.name}" reads no field`);
  if (!missing) unsupported(`characteristic "${feature}" has no isMissing attribute first`);
  const common = {
    feature,
    reasonCode: e.attributes.reasonCode ?? invalid(`characteristic "${feature}" has no reasonCode`),
    iv: x.has("iv") ? Number(x.get("iv")) : 0,
    coefficient: x.has("coefficient") ? Number(x.get("coefficient")) : 0,
    maxPoints: numberAttr(e, "baselineScore"),
  };
  if (optypes.get(feature) === "categorical") {
    if (ranges.length > 0) unsupported(`range predicates on categorical "${feature}"`);
    let unknownBin = -1;
    if (fallback) {
      const f = fallback;
      unknownBin = f.unknownBin ?? sets.findIndex((b) => b.points === f.points);
      const target = unknownBin >= 0 ? sets[unknownBin] : missing;
      if (!target || target.points !== f.points)
        unsupported(`the fallback of "${feature}" matches no bin's points`);
    }
    const c: CategoricalCharacteristic = { ...common, kind: "categorical", bins: sets, missing, unknownBin };
    return c;
  }
  if (sets.length > 0) unsupported(`set predicates on numeric "${feature}"`);
  ranges.forEach((r, i) => {
    const contiguous =
      (i === 0 ? r.lower === null : r.lower === ranges[i - 1]!.upper) &&
      (i === ranges.length - 1 ? r.upper === null : r.upper !== null);
    if (!contiguous) unsupported(`the ranges of "${feature}" are not contiguous from −∞ to +∞ in order`);
  });
  const trend = x.get("trend");
  const c: NumericCharacteristic = {
    ...common,
    kind: "numeric",
    trend: trend === "descending" || trend === "peak" || trend === "valley" ? trend : "ascending",
    bins: ranges,
    missing,
  };
  return c;
}

/**
 * Reads a PMML 4.x Scorecard: one written by `toPmml` (lossless), or one from another tool (standard
 * elements only; its probability scaling is `options.scaling` or an assumption recorded in the model).
 */
export function fromPmml(text: string, options: PmmlImportOptions = {}): Result<Scorecard, PmmlError> {
  const parsed = parseXml(text);
  if (!parsed.ok) return parsed;
  try {
    const root = parsed.value;
    if (root.name !== "PMML") invalid("the root element is not <PMML>");
    const card = child(root, "Scorecard") ?? unsupported("the document holds no <Scorecard>");
    if (!extensions(card).has("metadata")) return ok(importForeignScorecard(text, root, card, options));
    const dictionary = child(root, "DataDictionary") ?? invalid("no <DataDictionary>");
    const optypes = new Map(
      dictionary.children
        .filter((c) => c.name === "DataField")
        .map((c) => [c.attributes.name ?? "", c.attributes.optype ?? ""] as const),
    );
    if (card.attributes.useReasonCodes === "false") unsupported("a scorecard without reason codes");
    const algorithm = card.attributes.reasonCodeAlgorithm ?? "pointsBelow";
    if (algorithm !== "pointsBelow") unsupported(`reasonCodeAlgorithm "${algorithm}"`);
    const characteristicsElement = child(card, "Characteristics") ?? invalid("no <Characteristics>");
    const characteristics = characteristicsElement.children
      .filter((c) => c.name === "Characteristic")
      .map((c) => readCharacteristic(c, optypes));
    const initialScore = card.attributes.initialScore === undefined ? 0 : numberAttr(card, "initialScore");
    const metaText = extensions(card).get("metadata");
    const meta = metaText === undefined ? undefined : (JSON.parse(metaText) as Partial<Scorecard>);
    const scaling = meta?.scaling
      ? { ...meta.scaling, basePoints: initialScore }
      : unsupported("a scorecard without Headroom scaling metadata (its probabilities are undefined)");
    const body: Omit<Scorecard, "contentHash"> = {
      format: "headroom.scorecard",
      formatVersion: 1,
      modelId: meta?.modelId ?? card.attributes.modelName ?? "scorecard",
      scaling,
      intercept: meta?.intercept ?? 0,
      characteristics,
      featureVersions: meta?.featureVersions ?? {},
      training: meta?.training ?? invalid("no training metadata"),
      metrics: meta?.metrics ?? invalid("no metrics metadata"),
    };
    return ok({ ...body, contentHash: contentHashOf(body) });
  } catch (fault) {
    if (fault instanceof PmmlFault) return err(fault.error);
    if (fault instanceof SyntaxError) return err(reject("pmml_invalid", `bad metadata: ${fault.message}`));
    throw fault;
  }
}
