// GET /v1/lines/{lineId}/schedule tells each instalment as it stands on the store's business date: upcoming
// before its due date, due_today on it, overdue after its end of day unpaid, paid only when nothing is owed and
// nothing more can fall on it; the paid amount and the total count the same things (principal, interest, penalty).

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unwrapOrThrow } from "../src/kernel/index.js";
import { neverPaysGateway } from "../src/lending/index.js";
import { type ApiFixture, bearer, startApi } from "./api-fixture.js";

interface Item {
  drawdownId: string;
  n: number;
  dueDate: string;
  principalMinor: number;
  interestMinor: number;
  penaltyMinor: number;
  totalMinor: number;
  paidMinor: number;
  status: string;
}

let f: ApiFixture;
beforeAll(async () => {
  f = await startApi("sqlite", {}, "schedule");
});
afterAll(async () => {
  await f?.close();
});

/** Noon of a date in Asia/Shanghai (UTC+8). */
const noonMs = (date: string) => Date.parse(`${date}T12:00:00+08:00`);

async function schedule(line: "a" | "b"): Promise<Item[]> {
  const key = line === "a" ? f.keys.borrowerA : f.keys.borrowerB;
  const r = await f.app.inject({ url: `/v1/lines/${f.lines[line]}/schedule`, headers: bearer(key) });
  expect(r.statusCode).toBe(200);
  return r.json().items as Item[];
}

async function draw(line: "a" | "b", method: string): Promise<Item[]> {
  const key = line === "a" ? f.keys.borrowerA : f.keys.borrowerB;
  const r = await f.app.inject({
    method: "POST",
    url: `/v1/lines/${f.lines[line]}/drawdowns`,
    headers: { ...bearer(key), "idempotency-key": `draw-${line}` },
    payload: { amountMinor: 300_000, termMonths: 3, method },
  });
  expect(r.statusCode).toBe(201);
  return r.json().schedule as Item[];
}

async function repay(line: "a" | "b", amountMinor: number, idem: string): Promise<void> {
  const key = line === "a" ? f.keys.borrowerA : f.keys.borrowerB;
  const r = await f.app.inject({
    method: "POST",
    url: `/v1/lines/${f.lines[line]}/repayments`,
    headers: { ...bearer(key), "idempotency-key": idem },
    payload: { amountMinor },
  });
  expect(r.statusCode).toBe(201);
}

/** Closes every business day through `date`; the store's business date becomes the day after. */
async function endOfDayThrough(date: string, next: string): Promise<void> {
  unwrapOrThrow(await f.engine.lending.runEndOfDay(date, neverPaysGateway));
  f.clock.set(noonMs(next));
  expect(await f.engine.lending.businessDate()).toBe(next);
}

function expectLikeWithLike(items: readonly Item[]): void {
  for (const i of items) {
    expect(i.totalMinor, `total of ${i.n}`).toBe(i.principalMinor + i.interestMinor + i.penaltyMinor);
    expect(i.paidMinor, `paid of ${i.n}`).toBeLessThanOrEqual(i.totalMinor);
    if (i.status === "paid") expect(i.paidMinor, `paid of ${i.n}`).toBe(i.totalMinor);
  }
}

describe("the schedule on the business date", () => {
  it("a drawdown made today: every instalment is upcoming, none due today, nothing paid", async () => {
    expect(await f.engine.lending.businessDate()).toBe("2026-03-02");
    const created = await draw("a", "equal_instalment");
    expect(created.map((i) => [i.dueDate, i.status])).toEqual([
      ["2026-04-02", "upcoming"],
      ["2026-05-02", "upcoming"],
      ["2026-06-02", "upcoming"],
    ]);
    const items = await schedule("a");
    expect(items.map((i) => i.status)).toEqual(["upcoming", "upcoming", "upcoming"]);
    expect(items.map((i) => i.paidMinor)).toEqual([0, 0, 0]);
    expect(items.reduce((sum, i) => sum + i.principalMinor, 0)).toBe(300_000);
    expectLikeWithLike(items);
    // Interest-only instalments of an interest-first drawdown are owed, not paid, before anything accrues.
    const interestFirst = await draw("b", "interest_first");
    expect(interestFirst.map((i) => i.status)).toEqual(["upcoming", "upcoming", "upcoming"]);
    expect(interestFirst.map((i) => i.principalMinor)).toEqual([0, 0, 300_000]);
  });

  it("on its due date the first instalment is due_today, the rest upcoming", async () => {
    await endOfDayThrough("2026-04-01", "2026-04-02");
    const items = await schedule("a");
    expect(items.map((i) => i.status)).toEqual(["due_today", "upcoming", "upcoming"]);
    // The period has closed: its interest is what accrued (the schedule's figure, the borrower followed it).
    expect(items[0]!.interestMinor).toBeGreaterThan(0);
    expectLikeWithLike(items);
  });

  it("an interest-first instalment paid on its due date is paid; the interest-only ones after it are upcoming", async () => {
    const before = await schedule("b");
    expect(before.map((i) => i.status)).toEqual(["due_today", "upcoming", "upcoming"]);
    const first = before[0]!;
    expect(first.principalMinor).toBe(0);
    await repay("b", first.totalMinor - first.paidMinor, "pay-b-1");
    const after = await schedule("b");
    expect(after.map((i) => [i.n, i.status])).toEqual([
      [1, "paid"],
      [2, "upcoming"],
      [3, "upcoming"],
    ]);
    // Paid counts interest because the total does: the paid instalment's figures agree to the fen.
    expect(after[0]!.paidMinor).toBe(after[0]!.totalMinor);
    expect(after[0]!.paidMinor).toBe(first.interestMinor);
    expect(after[1]!.paidMinor).toBe(0);
    expectLikeWithLike(after);
  });

  it("after its end of day unpaid it is overdue; repaid, it is paid with penalty counted on both sides", async () => {
    await endOfDayThrough("2026-04-02", "2026-04-03");
    const overdue = await schedule("a");
    expect(overdue.map((i) => i.status)).toEqual(["overdue", "upcoming", "upcoming"]);
    // A day late: penalty accrues on the overdue principal and joins the total.
    await endOfDayThrough("2026-04-03", "2026-04-04");
    const late = await schedule("a");
    expect(late[0]!.status).toBe("overdue");
    expect(late[0]!.penaltyMinor).toBeGreaterThan(0);
    expectLikeWithLike(late);
    await repay("a", late[0]!.totalMinor - late[0]!.paidMinor, "pay-a-1");
    const cured = await schedule("a");
    expect(cured.map((i) => i.status)).toEqual(["paid", "upcoming", "upcoming"]);
    expect(cured[0]!.paidMinor).toBe(late[0]!.totalMinor);
    expectLikeWithLike(cured);
    // The interest-first line stays as it was: instalment 1 paid, the others upcoming.
    expect((await schedule("b")).map((i) => i.status)).toEqual(["paid", "upcoming", "upcoming"]);
  });

  it("documents the statuses in the OpenAPI schema", async () => {
    const doc = (await f.app.inject("/openapi.json")).json();
    const text = JSON.stringify(doc.paths["/v1/lines/{lineId}/schedule"]);
    for (const status of ["paid", "due_today", "overdue", "upcoming"]) expect(text).toContain(`"${status}"`);
    expect(text).not.toContain('"due"');
    expect(text).toContain("penaltyMinor");
  });
});
