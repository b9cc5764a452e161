// The lending service: validates untrusted input, runs the pure lending commands inside one store unit of work
// (line locked first), and persists state, entries, events and the client idempotency record together.
// A rejected request writes nothing, so its idempotency key stays free. The clock and ids are injected.

import { createHash, randomUUID } from "node:crypto";
import type { LendingEvent, RepaymentMethod } from "../events/index.js";
import { type Clock, err, ok, type Rejection, type Result } from "../kernel/index.js";
import type { Entry } from "../ledger/index.js";
import {
  changeLimit,
  closeLine,
  defaultProduct,
  drawdown,
  endOfDayThrough,
  freezeLine,
  type LendingOutcome,
  type LendingRejection,
  type LineState,
  type LineView,
  lineView,
  openLine,
  type PaymentGateway,
  type Product,
  repay,
  unfreezeLine,
} from "../lending/index.js";
import { parsePositiveMoney } from "../money/index.js";
import {
  addDays,
  type BusinessDate,
  businessDateOfInstant,
  formatDate,
  parseDate,
  parseDateOrThrow,
  startOfBusinessDate,
} from "../time/index.js";
import type {
  LendingStore,
  LendingUnitOfWork,
  LineEntriesPage,
  LineSummary,
  StoredLedgerVerification,
  StoredLine,
} from "./ports.js";

/** The settings row holding the store's current business date ("YYYY-MM-DD"). */
export const businessDateSetting = "business_date";
/**
 * The longest idempotency key, in characters: the one limit for the CLI's --key and the API's Idempotency-Key
 * header (src/api imports it), so a key the API accepts is never one the engine refuses.
 */
export const idempotencyKeyLengthMax = 255;
/** Lines per end-of-day transaction: a crash leaves each batch (so each line) done or not done. */
export const endOfDayBatchSizeDefault = 50;
export const endOfDayBatchSizeMax = 500;
/** Ids read per page while walking the lines due for end of day. */
const endOfDayPageSize = 1_000;
/** Where in a business date a command given only a date is placed: noon, product zone. */
const msIntoDateForDatedCommands = 12 * 3_600_000;

export type ServiceRejection =
  | LendingRejection
  | { readonly code: "line_not_found"; readonly message: string; readonly lineId: string }
  | { readonly code: "line_exists"; readonly message: string; readonly lineId: string }
  | { readonly code: "customer_has_line"; readonly message: string; readonly customerId: string }
  | { readonly code: "idempotency_key_mismatch"; readonly message: string; readonly key: string }
  | { readonly code: "invalid_idempotency_key"; readonly message: string }
  | { readonly code: "invalid_amount"; readonly message: string; readonly value: unknown }
  | { readonly code: "invalid_date"; readonly message: string; readonly value: unknown }
  | { readonly code: "invalid_term"; readonly message: string; readonly value: unknown };

/** What a successful command returns; for a keyed command, exactly what a retry with the key returns. */
export interface CommandReceipt {
  readonly command: LendingCommandName;
  readonly lineId: string;
  /** drawdownId or repaymentId; null for commands without one. */
  readonly operationId: string | null;
  readonly businessDate: string;
  readonly line: LineView;
  readonly eventIds: readonly string[];
  readonly entryIds: readonly string[];
  /** True when this is the stored result of an earlier request with the same idempotency key. */
  readonly replayed: boolean;
}

export type LendingCommandName =
  | "open_line"
  | "drawdown"
  | "repay"
  | "change_limit"
  | "freeze_line"
  | "unfreeze_line"
  | "close_line";

export interface CommandOptions {
  /** "YYYY-MM-DD"; default the store's business date. */
  readonly date?: string | undefined;
  readonly idempotencyKey?: string | undefined;
}

export interface EndOfDayProgress {
  readonly date: string;
  readonly done: number;
  readonly total: number;
}

export interface EndOfDayReport {
  readonly date: string;
  /** Lines this run advanced (a rerun after a crash counts only the rest). */
  readonly linesProcessed: number;
  readonly entries: number;
  readonly events: number;
  readonly failures: readonly { readonly lineId: string; readonly rejection: Rejection }[];
}

export interface LendingServiceOptions {
  readonly store: LendingStore;
  readonly clock: Clock;
  readonly product?: Product;
  /** New ids (line, drawdown, repayment); default `<prefix>-<uuid>`. */
  readonly newId?: (prefix: string) => string;
}

type ServiceResult<T> = Promise<Result<T, ServiceRejection>>;

function requestHash(parts: readonly unknown[]): string {
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex");
}

export class LendingService {
  readonly product: Product;
  private readonly store: LendingStore;
  private readonly clock: Clock;
  private readonly newId: (prefix: string) => string;

  constructor(options: LendingServiceOptions) {
    this.store = options.store;
    this.clock = options.clock;
    this.product = options.product ?? defaultProduct;
    this.newId = options.newId ?? ((prefix) => `${prefix}-${randomUUID()}`);
  }

  /** The store's business date, else today in the product's zone. */
  async businessDate(): Promise<string> {
    return (await this.store.getSetting(businessDateSetting)) ?? this.today();
  }

  async openLine(
    input: { readonly customerId: string; readonly limitMinor: number; readonly lineId?: string | undefined },
    options: CommandOptions = {},
  ): ServiceResult<CommandReceipt> {
    const limit = parsePositiveMoney(input.limitMinor, "limitMinor");
    if (!limit.ok) return limit;
    const lineId = input.lineId ?? this.newId("line");
    return this.store.write(async (uow) => {
      const date = await this.commandDate(uow, options.date);
      if (!date.ok) return date;
      const outcome = openLine(
        { lineId, customerId: input.customerId, limitMinor: limit.value, atMs: this.atMsOn(date.value) },
        this.product,
      );
      if (!outcome.ok) return outcome;
      const inserted = await uow.insertLine(outcome.value.state);
      if (inserted === "line_exists") {
        return err({ code: "line_exists", message: `line ${lineId} already exists`, lineId });
      }
      if (inserted === "customer_has_line") {
        return err({
          code: "customer_has_line",
          message: `customer ${input.customerId} already has an open line`,
          customerId: input.customerId,
        });
      }
      await this.persistEffects(uow, lineId, outcome.value);
      if ((await uow.getSetting(businessDateSetting)) === null) {
        await uow.setSetting(businessDateSetting, formatDate(date.value));
      }
      return ok(this.receipt("open_line", null, date.value, outcome.value));
    });
  }

  async drawdown(
    lineId: string,
    input: { readonly amountMinor: number; readonly termMonths: number; readonly method: RepaymentMethod },
    options: CommandOptions = {},
  ): ServiceResult<CommandReceipt> {
    const amount = parsePositiveMoney(input.amountMinor);
    if (!amount.ok) return amount;
    if (!Number.isSafeInteger(input.termMonths) || input.termMonths <= 0) {
      return err({
        code: "invalid_term",
        message: "termMonths is a positive whole number",
        value: input.termMonths,
      });
    }
    const hash = requestHash(["drawdown", lineId, amount.value, input.termMonths, input.method]);
    return this.keyed(lineId, "drawdown", hash, options, (state, date) => {
      const drawdownId = this.newId("dd");
      const outcome = drawdown(
        state,
        {
          drawdownId,
          amountMinor: amount.value,
          termMonths: input.termMonths,
          method: input.method,
          atMs: this.atMsOn(date),
        },
        this.product,
      );
      return outcome.ok ? ok({ outcome: outcome.value, operationId: drawdownId }) : outcome;
    });
  }

  async repay(
    lineId: string,
    input: { readonly amountMinor: number },
    options: CommandOptions = {},
  ): ServiceResult<CommandReceipt> {
    const amount = parsePositiveMoney(input.amountMinor);
    if (!amount.ok) return amount;
    const hash = requestHash(["repay", lineId, amount.value]);
    return this.keyed(lineId, "repay", hash, options, (state, date) => {
      const repaymentId = this.newId("rp");
      const outcome = repay(
        state,
        { repaymentId, amountMinor: amount.value, atMs: this.atMsOn(date) },
        this.product,
      );
      return outcome.ok ? ok({ outcome: outcome.value, operationId: repaymentId }) : outcome;
    });
  }

  async changeLimit(
    lineId: string,
    input: { readonly newLimitMinor: number; readonly decisionId?: string | null },
    options: CommandOptions = {},
  ): ServiceResult<CommandReceipt> {
    const hash = requestHash(["change_limit", lineId, input.newLimitMinor, input.decisionId ?? null]);
    return this.keyed(lineId, "change_limit", hash, options, (state, date) => {
      const outcome = changeLimit(
        state,
        { newLimitMinor: input.newLimitMinor, decisionId: input.decisionId ?? null, atMs: this.atMsOn(date) },
        this.product,
      );
      return outcome.ok ? ok({ outcome: outcome.value, operationId: null }) : outcome;
    });
  }

  freeze(lineId: string, reason: string, options: CommandOptions = {}): ServiceResult<CommandReceipt> {
    return this.keyed(
      lineId,
      "freeze_line",
      requestHash(["freeze", lineId, reason]),
      options,
      (state, date) => {
        const outcome = freezeLine(state, { reason, atMs: this.atMsOn(date) }, this.product);
        return outcome.ok ? ok({ outcome: outcome.value, operationId: null }) : outcome;
      },
    );
  }

  unfreeze(lineId: string, reason: string, options: CommandOptions = {}): ServiceResult<CommandReceipt> {
    return this.keyed(
      lineId,
      "unfreeze_line",
      requestHash(["unfreeze", lineId, reason]),
      options,
      (state, date) => {
        const outcome = unfreezeLine(state, { reason, atMs: this.atMsOn(date) }, this.product);
        return outcome.ok ? ok({ outcome: outcome.value, operationId: null }) : outcome;
      },
    );
  }

  close(lineId: string, options: CommandOptions = {}): ServiceResult<CommandReceipt> {
    return this.keyed(lineId, "close_line", requestHash(["close", lineId]), options, (state, date) => {
      const outcome = closeLine(state, { atMs: this.atMsOn(date) }, this.product);
      return outcome.ok ? ok({ outcome: outcome.value, operationId: null }) : outcome;
    });
  }

  getLine(lineId: string): Promise<StoredLine | null> {
    return this.store.getLine(lineId);
  }

  listLines(options: { readonly afterLineId?: string; readonly limit: number }): Promise<LineSummary[]> {
    return this.store.listLines(options);
  }

  ledger(lineId: string): Promise<LineEntriesPage> {
    return this.store.lineLedger(lineId);
  }

  /** Recomputes every balance from the postings and checks outstanding = principal receivable per line. */
  verifyLedger(): Promise<StoredLedgerVerification> {
    return this.store.verifyLedger();
  }

  /**
   * Runs end of day through `date` for every line not yet there, a small batch of lines per transaction: a
   * crash leaves each line done or not, and a rerun finishes the rest exactly once. Then the store's business
   * date moves to the day after `date` (never backwards).
   */
  async runEndOfDay(
    dateText: string,
    gateway: PaymentGateway,
    options: { readonly onProgress?: (progress: EndOfDayProgress) => void; readonly batchSize?: number } = {},
  ): ServiceResult<EndOfDayReport> {
    const parsed = parseDate(dateText);
    if (!parsed.ok) return parsed;
    const date = parsed.value;
    const label = formatDate(date);
    const batchSize = Math.max(
      1,
      Math.min(options.batchSize ?? endOfDayBatchSizeDefault, endOfDayBatchSizeMax),
    );
    const total = await this.store.countLinesDueForEndOfDay(date);
    const failures: { lineId: string; rejection: Rejection }[] = [];
    let done = 0;
    let linesProcessed = 0;
    let entries = 0;
    let events = 0;
    let after = "";
    options.onProgress?.({ date: label, done, total });
    for (;;) {
      const ids = await this.store.linesDueForEndOfDay(date, after, endOfDayPageSize);
      if (ids.length === 0) break;
      for (let i = 0; i < ids.length; i += batchSize) {
        const batch = ids.slice(i, i + batchSize);
        const counts = await this.store.write(async (uow) => {
          const tally = {
            lines: 0,
            entries: 0,
            events: 0,
            failures: [] as { lineId: string; rejection: Rejection }[],
          };
          for (const lineId of batch) {
            const line = await uow.lockLine(lineId);
            // Another run may have finished this line since the page was read.
            if (!line || parseDateOrThrow(line.state.lastEndOfDay) >= date) continue;
            const outcome = endOfDayThrough(line.state, date, gateway, this.product);
            if (!outcome.ok) {
              tally.failures.push({ lineId, rejection: outcome.error });
              continue;
            }
            await uow.updateLine(outcome.value.state, line.version);
            await this.persistEffects(uow, lineId, outcome.value);
            tally.lines++;
            tally.entries += outcome.value.entries.length;
            tally.events += outcome.value.events.length;
          }
          return tally;
        });
        linesProcessed += counts.lines;
        entries += counts.entries;
        events += counts.events;
        failures.push(...counts.failures);
        done += batch.length;
        options.onProgress?.({ date: label, done: Math.min(done, total), total });
      }
      after = ids[ids.length - 1] ?? after;
    }
    await this.store.write(async (uow) => {
      const current = await uow.getSetting(businessDateSetting);
      const next = addDays(date, 1);
      if (current === null || parseDateOrThrow(current) < next)
        await uow.setSetting(businessDateSetting, formatDate(next));
    });
    return ok({ date: label, linesProcessed, entries, events, failures });
  }

  // ── internals ───────────────────────────────────────────────────────────────────────────────────────

  private today(): string {
    return formatDate(businessDateOfInstant(this.clock.nowMs(), this.product.timeZone));
  }

  /** The instant a command on `date` happens: now if today is that date, else noon of it (product zone). */
  private atMsOn(date: BusinessDate): number {
    const now = this.clock.nowMs();
    if (businessDateOfInstant(now, this.product.timeZone) === date) return now;
    return startOfBusinessDate(date, this.product.timeZone) + msIntoDateForDatedCommands;
  }

  private async commandDate(
    uow: LendingUnitOfWork,
    explicit: string | undefined,
  ): Promise<Result<BusinessDate, ServiceRejection>> {
    const text = explicit ?? (await uow.getSetting(businessDateSetting)) ?? this.today();
    return parseDate(text);
  }

  /** A command on an existing line, with an optional client idempotency key checked under the line lock. */
  private async keyed(
    lineId: string,
    command: LendingCommandName,
    hash: string,
    options: CommandOptions,
    run: (
      state: LineState,
      date: BusinessDate,
    ) => Result<{ outcome: LendingOutcome; operationId: string | null }, ServiceRejection>,
  ): ServiceResult<CommandReceipt> {
    const key = options.idempotencyKey;
    if (key !== undefined && (key.length === 0 || key.length > idempotencyKeyLengthMax)) {
      return err({
        code: "invalid_idempotency_key",
        message: `an idempotency key is 1–${idempotencyKeyLengthMax} characters`,
      });
    }
    return this.store.write(async (uow) => {
      const line = await uow.lockLine(lineId);
      if (!line) return err({ code: "line_not_found", message: `no line ${lineId}`, lineId });
      if (key !== undefined) {
        const previous = await uow.findIdempotencyKey(key);
        if (previous) {
          if (previous.command === command && previous.lineId === lineId && previous.requestHash === hash) {
            return ok({ ...(previous.result as CommandReceipt), replayed: true });
          }
          return err({
            code: "idempotency_key_mismatch",
            message: `idempotency key ${key} was used for a different request`,
            key,
          });
        }
      }
      const date = await this.commandDate(uow, options.date);
      if (!date.ok) return date;
      const result = run(line.state, date.value);
      if (!result.ok) return result;
      const { outcome, operationId } = result.value;
      await uow.updateLine(outcome.state, line.version);
      await this.persistEffects(uow, lineId, outcome);
      const receipt = this.receipt(command, operationId, date.value, outcome);
      if (key !== undefined) {
        await uow.saveIdempotencyKey({ key, command, lineId, requestHash: hash, result: receipt });
      }
      return ok(receipt);
    });
  }

  private async persistEffects(
    uow: LendingUnitOfWork,
    lineId: string,
    outcome: { readonly entries: readonly Entry[]; readonly events: readonly LendingEvent[] },
  ): Promise<void> {
    await uow.appendEntries(lineId, outcome.entries);
    await uow.appendEvents(outcome.events, this.product.timeZone);
  }

  private receipt(
    command: LendingCommandName,
    operationId: string | null,
    date: BusinessDate,
    outcome: LendingOutcome,
  ): CommandReceipt {
    return {
      command,
      lineId: outcome.state.lineId,
      operationId,
      businessDate: formatDate(date),
      line: lineView(outcome.state),
      eventIds: outcome.events.map((e) => e.eventId),
      entryIds: outcome.entries.map((e) => e.entryId),
      replayed: false,
    };
  }
}
