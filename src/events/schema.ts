// TypeBox schemas of every event payload (DESIGN.md "Interfaces" and the lending payloads of types.ts),
// compiled once into checkers. Every string and integer is bounded; amounts are safe integers of minor units.

import { type Static, type TSchema, Type } from "@sinclair/typebox";
import { type TypeCheck, TypeCompiler } from "@sinclair/typebox/compiler";
import type { EventPayloads, EventType } from "./types.js";

/** Longest free-text field in a payload (categories, reasons), in characters. */
export const payloadTextLengthMax = 256;
/** Longest id inside a payload (line, drawdown, repayment, decision ids), in characters. */
export const payloadIdLengthMax = 128;
/** Longest drawdown term, in months. */
export const termMonthsMax = 120;
/** Highest instalment number of a schedule. */
export const instalmentNumberMax = 1_200;
/** Highest days-past-due figure a payload may carry (about 27 years). */
export const dpdMax = 10_000;
/** Highest auto-debit attempt number. */
export const autodebitAttemptMax = 100;
/** Highest count a bureau report may carry (delinquencies, inquiries). */
export const bureauCountMax = 10_000;

const amount = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
const positiveAmount = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
const text = Type.String({ minLength: 1, maxLength: payloadTextLengthMax });
const id = Type.String({ minLength: 1, maxLength: payloadIdLengthMax });
/** A "YYYY-MM-DD" business date; calendar validity is checked after the schema (see parse.ts). */
const date = Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}$" });
const count = (max: number) => Type.Integer({ minimum: 0, maximum: max });
const object = <P extends Parameters<typeof Type.Object>[0]>(properties: P) =>
  Type.Object(properties, { additionalProperties: false });
const empty = object({});

const L = Type.Literal;
const productKind = Type.Union([L("wealth"), L("insurance"), L("fund"), L("deposit"), L("other")]);
const creditSource = Type.Union([L("internal"), L("external")]);
const verificationKind = Type.Union([
  L("id_card"),
  L("bank_card"),
  L("face"),
  L("income_proof"),
  L("address"),
  L("employer"),
]);
const repaymentMethod = Type.Union([L("equal_instalment"), L("equal_principal"), L("interest_first")]);

/** One schema per event type; the keys are exactly the event types of types.ts (checked below). */
export const payloadSchemas = {
  "app.login": empty,
  "payment.made": object({ amountMinor: positiveAmount, category: text }),
  "product.purchased": object({ kind: productKind, amountMinor: amount }),
  "limit.queried": empty,
  "credit.applied": object({ source: creditSource }),
  "verification.completed": object({ kind: verificationKind }),
  "bureau.reported": object({
    monthlyIncomeMinor: amount,
    externalDebtMinor: amount,
    delinquencies24m: count(bureauCountMax),
    inquiries6m: count(bureauCountMax),
  }),
  "reevaluation.requested": empty,
  "line.opened": object({ lineId: id, productId: id, limitMinor: amount }),
  "drawdown.made": object({
    lineId: id,
    drawdownId: id,
    amountMinor: positiveAmount,
    termMonths: Type.Integer({ minimum: 1, maximum: termMonthsMax }),
    method: repaymentMethod,
    outstandingMinor: amount,
    limitMinor: amount,
  }),
  "repayment.received": object({
    lineId: id,
    repaymentId: id,
    amountMinor: positiveAmount,
    penaltyMinor: amount,
    interestMinor: amount,
    principalMinor: amount,
    outstandingMinor: amount,
  }),
  "repayment.settled": object({
    lineId: id,
    drawdownId: id,
    drawnOn: date,
    settledOn: date,
    early: Type.Boolean(),
  }),
  "instalment.due": object({
    lineId: id,
    drawdownId: id,
    n: Type.Integer({ minimum: 1, maximum: instalmentNumberMax }),
    dueDate: date,
    paidInFull: Type.Boolean(),
  }),
  "instalment.overdue": object({
    lineId: id,
    drawdownId: id,
    n: Type.Integer({ minimum: 1, maximum: instalmentNumberMax }),
    dueDate: date,
    overdueMinor: amount,
    dpd: count(dpdMax),
  }),
  "overdue.cured": object({ lineId: id, maxDpd: count(dpdMax), curedOn: date }),
  "line.frozen": object({ lineId: id, reason: text }),
  "line.unfrozen": object({ lineId: id, reason: text }),
  "line.closed": object({ lineId: id }),
  "limit.changed": object({
    lineId: id,
    previousLimitMinor: amount,
    newLimitMinor: amount,
    decisionId: Type.Union([id, Type.Null()]),
  }),
  "autodebit.failed": object({
    lineId: id,
    amountMinor: amount,
    attempt: Type.Integer({ minimum: 1, maximum: autodebitAttemptMax }),
    reason: text,
  }),
} satisfies Record<EventType, TSchema>;

// Compile-time proof that each schema describes exactly the payload type of the public contract.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Mismatched = {
  [T in EventType]: Same<Static<(typeof payloadSchemas)[T]>, EventPayloads[T]> extends true ? never : T;
}[EventType];
export const payloadSchemasMatchContract: [Mismatched] extends [never] ? true : Mismatched = true;

/** Every event type, in a fixed order. */
export const eventTypes = Object.freeze(Object.keys(payloadSchemas) as EventType[]);

const knownTypes = new Set<string>(eventTypes);

export function isEventType(value: string): value is EventType {
  return knownTypes.has(value);
}

/** Payload fields holding business dates, by type: checked for calendar validity after the schema. */
export const payloadDateFields: Readonly<Partial<Record<EventType, readonly string[]>>> = Object.freeze({
  "repayment.settled": ["drawnOn", "settledOn"],
  "instalment.due": ["dueDate"],
  "instalment.overdue": ["dueDate"],
  "overdue.cured": ["curedOn"],
});

/** Compiled checkers, built once at module load. */
export const payloadCheckers: ReadonlyMap<EventType, TypeCheck<TSchema>> = new Map(
  eventTypes.map((t): [EventType, TypeCheck<TSchema>] => [
    t,
    TypeCompiler.Compile<TSchema>(payloadSchemas[t]),
  ]),
);
