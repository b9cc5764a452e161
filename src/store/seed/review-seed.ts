// Bulk seeding of a review portfolio (benchmarks, resumability tests): open lines built by lending's own
// `openLine` (valid states, nothing drawn, end of day done through the day before the business date) and a
// few behaviour events per customer, written with multi-row inserts in large transactions — no service
// calls, no webhooks. Deterministic: the same seed gives the same rows.

import { businessDateSetting } from "../../engine/index.js";
import { type EventType, lendingEventTypes } from "../../events/index.js";
import { assert, createRng } from "../../kernel/index.js";
import { defaultProduct, type LineState, openLine, type Product } from "../../lending/index.js";
import {
  addDays,
  businessDateOfInstant,
  formatDate,
  formatInstant,
  parseDateOrThrow,
  startOfBusinessDate,
} from "../../time/index.js";
import type { Db, SqlValue } from "../sql/db.js";
import { insertRows } from "../sql/statements.js";

/** Lines written per transaction while seeding. */
export const seedLinesPerTransaction = 20_000;

export interface SeedOptions {
  readonly lines: number;
  readonly seed: number;
  /** "YYYY-MM-DD": the business date the portfolio is reviewed on. */
  readonly businessDate: string;
  readonly product?: Product;
  /** Called after each transaction with the lines written so far. */
  readonly onProgress?: (done: number) => void;
}

/** The id of the i-th seeded line and customer (zero-padded: id order is index order). */
export function seededLineId(i: number): string {
  return `L${String(i).padStart(9, "0")}`;
}
export function seededCustomerId(i: number): string {
  return `C${String(i).padStart(9, "0")}`;
}

/** Seeds `lines` open lines (ids after any already there are not checked: use an empty database). */
export async function seedReviewPortfolio(db: Db, options: SeedOptions): Promise<void> {
  const product = options.product ?? defaultProduct;
  const zone = product.timeZone;
  const reviewDay = parseDateOrThrow(options.businessDate);
  const rng = createRng(options.seed);
  const withSeq = db.sql.serialWriter;
  let seq = 0;
  if (withSeq) {
    seq = await db.read(async (tx) =>
      Number((await tx.get<{ n: number }>(`SELECT COALESCE(MAX(seq), 0) AS n FROM events`))?.n ?? 0),
    );
  }
  const eventHead = `INSERT INTO events (event_id, customer_id, type, occurred_at, occurred_ms, business_date, payload, source${withSeq ? ", seq" : ""})`;
  const instant = (day: number, hour: number) => startOfBusinessDate(day as never, zone) + hour * 3_600_000;

  for (let start = 0; start < options.lines; start += seedLinesPerTransaction) {
    const end = Math.min(options.lines, start + seedLinesPerTransaction);
    const lineRows: SqlValue[][] = [];
    const eventRows: SqlValue[][] = [];
    const event = (customerId: string, eventId: string, type: string, ms: number, payload: unknown) => {
      const row: SqlValue[] = [
        eventId,
        customerId,
        type,
        formatInstant(ms, zone),
        ms,
        businessDateOfInstant(ms, zone),
        JSON.stringify(payload),
        lendingEventTypes.has(type as EventType) ? "lending" : "sim",
      ];
      if (withSeq) row.push(++seq);
      eventRows.push(row);
    };
    for (let i = start; i < end; i++) {
      const lineId = seededLineId(i);
      const customerId = seededCustomerId(i);
      const openedDay = reviewDay - rng.int(30, 720);
      const limitMinor =
        product.limitMinMinor +
        rng.int(0, Math.floor((product.limitMaxMinor / 4 - product.limitMinMinor) / product.limitStepMinor)) *
          product.limitStepMinor;
      const opened = openLine({ lineId, customerId, limitMinor, atMs: instant(openedDay, 10) }, product);
      assert(opened.ok, `seeded line ${lineId} opens`);
      const state: LineState = { ...opened.value.state, lastEndOfDay: formatDate(addDays(reviewDay, -1)) };
      lineRows.push([
        lineId,
        customerId,
        product.productId,
        state.status,
        state.limitMinor,
        0,
        openedDay,
        reviewDay - 1,
        1,
        JSON.stringify(state),
        0,
      ]);
      for (const e of opened.value.events)
        event(customerId, e.eventId, e.type, instant(openedDay, 10), e.payload);
      const income = rng.int(3_000, 40_000) * 100;
      event(customerId, `seed-bureau-${i}`, "bureau.reported", instant(reviewDay - rng.int(1, 60), 9), {
        monthlyIncomeMinor: income,
        externalDebtMinor: rng.chance(0.5) ? rng.int(0, income * 4) : 0,
        delinquencies24m: rng.chance(0.1) ? rng.int(1, 3) : 0,
        inquiries6m: rng.int(0, 6),
      });
      const logins = rng.int(0, 4);
      for (let k = 0; k < logins; k++) {
        event(
          customerId,
          `seed-login-${i}-${k}`,
          "app.login",
          instant(reviewDay - rng.int(1, 45), 12 + k),
          {},
        );
      }
      if (rng.chance(0.6)) {
        event(customerId, `seed-pay-${i}`, "payment.made", instant(reviewDay - rng.int(1, 80), 15), {
          amountMinor: rng.int(1_000, 500_000),
          category: "groceries",
        });
      }
      if (rng.chance(0.2)) {
        event(customerId, `seed-query-${i}`, "limit.queried", instant(reviewDay - rng.int(1, 25), 20), {});
      }
      if (rng.chance(0.3)) {
        event(customerId, `seed-verify-${i}`, "verification.completed", instant(openedDay, 11), {
          kind: "id_card",
        });
      }
    }
    await db.transaction(async (tx) => {
      await insertRows(
        tx,
        `INSERT INTO lines (line_id, customer_id, product_id, status, limit_minor, outstanding_minor, opened_on,
           last_end_of_day, version, state, updated_ms)`,
        11,
        lineRows,
        (r) => r,
      );
      await insertRows(tx, eventHead, withSeq ? 9 : 8, eventRows, (r) => r);
    });
    options.onProgress?.(end);
  }
  await db.transaction(async (tx) => {
    await tx.run(
      `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      [businessDateSetting, options.businessDate],
    );
  });
}
