// Reviews over HTTP (SQLite and PostgreSQL): what-if, a background review with live status and its
// review.completed webhook, dry runs, a macro change starting a macro.changed review, the champion/challenger
// report against the decisions listed, PMML model import, and the web UI's fallback for client-side routes.
// Expected figures come from the lines and decisions read back through other routes, not from the runner.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listOutbox } from "../src/store/index.js";
import { type ApiFixture, bearer, startApi } from "./api-fixture.js";
import { dialectsUnderTest } from "./support/databases.js";

const dialects = await dialectsUnderTest("api reviews");

interface DecisionItem {
  readonly decisionId: string;
  readonly customerId: string;
  readonly trigger: string;
  readonly previousLimitMinor: number;
  readonly newLimitMinor: number;
}

describe.each(dialects)("reviews over HTTP (%s)", (dialect) => {
  let f: ApiFixture;
  const op = () => bearer(f.keys.operator);
  const limits = async () =>
    Promise.all(
      ["line-a", "line-b"].map(
        async (id) =>
          (await f.app.inject({ url: `/v1/lines/${id}`, headers: op() })).json().limitMinor as number,
      ),
    );
  const decisions = async (trigger?: string): Promise<DecisionItem[]> =>
    (
      await f.app.inject({
        url: `/v1/decisions?limit=200${trigger ? `&trigger=${trigger}` : ""}`,
        headers: op(),
      })
    ).json().items;

  beforeAll(async () => {
    f = await startApi(dialect, {}, "reviews");
    const sub = await f.app.inject({
      method: "POST",
      url: "/v1/webhooks",
      headers: op(),
      payload: { url: "http://127.0.0.1:9/hook", events: ["review.completed"] },
    });
    expect(sub.statusCode, sub.body).toBe(201);
  });
  afterAll(async () => {
    await f?.close();
  });

  let whatIf: {
    lines: number;
    increases: number;
    decreases: number;
    unchanged: number;
    exposureChangeMinor: number;
    byBand: { lines: number; exposureChangeMinor: number }[];
  };

  it("answers a what-if over today's lines without recording anything", async () => {
    const before = await f.counts();
    const r = await f.app.inject({ method: "POST", url: "/v1/policies/what-if", headers: op(), payload: {} });
    expect(r.statusCode, r.body).toBe(200);
    whatIf = r.json();
    expect(whatIf.lines).toBe(2);
    expect(whatIf.increases + whatIf.decreases + whatIf.unchanged).toBe(2);
    expect(whatIf.byBand.reduce((s, b) => s + b.lines, 0)).toBe(2);
    expect(whatIf.byBand.reduce((s, b) => s + b.exposureChangeMinor, 0)).toBe(whatIf.exposureChangeMinor);
    expect(await f.counts()).toEqual(before);
  });

  it("names an invalid candidate's problems with the document's own code", async () => {
    const policy = await f.app.inject({
      method: "POST",
      url: "/v1/policies/what-if",
      headers: op(),
      payload: { policy: { id: "p" } },
    });
    expect(policy.statusCode).toBe(400);
    expect(policy.json().error.code).toBe("policy_invalid");
    expect(policy.json().error.details.problems.length).toBeGreaterThan(0);
    const macro = await f.app.inject({
      method: "POST",
      url: "/v1/policies/what-if",
      headers: op(),
      payload: { macro: { id: "m" } },
    });
    expect(macro.statusCode).toBe(400);
    expect(macro.json().error.code).toBe("macro_invalid");
  });

  it("keeps a dry run in memory: a report, no decisions, no limit changes", async () => {
    const before = await f.counts();
    const r = await f.app.inject({
      method: "POST",
      url: "/v1/reviews",
      headers: op(),
      payload: { dryRun: true },
    });
    expect(r.statusCode, r.body).toBe(202);
    await f.engine.reviews.settled();
    const status = (await f.app.inject({ url: `/v1/reviews/${r.json().reviewId}`, headers: op() })).json();
    expect(status).toMatchObject({ dryRun: true, status: "completed", total: 2, done: 2 });
    expect([status.increases, status.decreases, status.unchanged]).toEqual([
      whatIf.increases,
      whatIf.decreases,
      whatIf.unchanged,
    ]);
    expect(status.report.exposureChangeMinor).toBe(whatIf.exposureChangeMinor);
    const after = await f.counts();
    // Only the audit log records that a dry run was asked for.
    expect({ ...after, audit_log: before.audit_log }).toEqual(before);
  });

  it("runs a review in the background: 202, then completed counts that match the lines and decisions", async () => {
    const [a0, b0] = await limits();
    const r = await f.app.inject({ method: "POST", url: "/v1/reviews", headers: op(), payload: {} });
    expect(r.statusCode, r.body).toBe(202);
    const { reviewId } = r.json();
    await f.engine.reviews.settled();
    const status = (await f.app.inject({ url: `/v1/reviews/${reviewId}`, headers: op() })).json();
    expect(status).toMatchObject({
      reviewId,
      kind: "review.periodic",
      status: "completed",
      total: 2,
      done: 2,
    });
    expect(status.finishedAt).not.toBeNull();
    const [a1, b1] = await limits();
    const moves = [
      [a0, a1],
      [b0, b1],
    ] as const;
    expect(status.increases).toBe(moves.filter(([x, y]) => y! > x!).length);
    expect(status.decreases).toBe(moves.filter(([x, y]) => y! < x!).length);
    expect(status.unchanged).toBe(moves.filter(([x, y]) => y === x).length);
    // The what-if asked before, with the same versions and date, foresaw exactly this.
    expect([status.increases, status.decreases, status.unchanged]).toEqual([
      whatIf.increases,
      whatIf.decreases,
      whatIf.unchanged,
    ]);
    const reviewed = await decisions("review.periodic");
    expect(reviewed.map((d) => d.customerId).sort()).toEqual(["cust-a", "cust-b"]);
    const list = (await f.app.inject({ url: "/v1/reviews", headers: op() })).json();
    expect(list.items.map((i: { reviewId: string }) => i.reviewId)).toContain(reviewId);

    // review.completed was queued once, with the run's counts.
    const outbox = await f.store.db.read((tx) => listOutbox(tx, 1000));
    const sent = outbox.filter((o) => o.eventType === "review.completed");
    expect(sent.map((o) => o.messageId)).toEqual([`msg_review:${reviewId}`]);
    const payload = await f.store.db.read((tx) =>
      tx.get<{ payload: string }>("SELECT payload FROM webhook_outbox WHERE message_id = ?", [
        `msg_review:${reviewId}`,
      ]),
    );
    expect(JSON.parse(payload!.payload).data).toMatchObject({
      reviewId,
      total: 2,
      done: 2,
      increases: status.increases,
      decreases: status.decreases,
      unchanged: status.unchanged,
    });
  });

  it("starts a macro.changed review when the macro in force changes, not when it is re-published", async () => {
    const current = (await f.app.inject({ url: "/v1/macro", headers: op() })).json();
    const next = { ...current.document, version: current.version + 1 };
    const r = await f.app.inject({ method: "PUT", url: "/v1/macro", headers: op(), payload: next });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().reviewId).toMatch(/^macro-/);
    await f.engine.reviews.settled();
    const status = (await f.app.inject({ url: `/v1/reviews/${r.json().reviewId}`, headers: op() })).json();
    expect(status).toMatchObject({ kind: "macro.changed", status: "completed", total: 2, done: 2 });
    expect((await decisions("macro.changed")).length).toBe(2);
    const again = await f.app.inject({ method: "PUT", url: "/v1/macro", headers: op(), payload: next });
    expect(again.statusCode).toBe(200);
    expect(again.json().reviewId).toBeNull();
  });

  it("reports champion/challenger arms from the recorded decisions", async () => {
    const r = await f.app.inject({ url: "/v1/experiments", headers: op() });
    expect(r.statusCode, r.body).toBe(200);
    const all = await decisions();
    const arms = r.json().arms as {
      arm: string;
      decisions: number;
      meanChangeMinor: number;
      increaseShare: number;
      decreaseShare: number;
      active: boolean;
    }[];
    expect(arms.reduce((s, a) => s + a.decisions, 0)).toBe(all.length);
    const champion = arms.find((a) => a.active);
    expect(champion).toBeDefined();
    const changes = all.map((d) => d.newLimitMinor - d.previousLimitMinor);
    // One policy is in force, so every decision is the champion's.
    expect(arms).toHaveLength(1);
    expect(champion!.decisions).toBe(all.length);
    expect(champion!.meanChangeMinor).toBe(Math.round(changes.reduce((s, c) => s + c, 0) / changes.length));
    expect(champion!.increaseShare).toBeCloseTo(changes.filter((c) => c > 0).length / changes.length, 12);
    expect(champion!.decreaseShare).toBeCloseTo(changes.filter((c) => c < 0).length / changes.length, 12);
  });

  it("imports a PMML scorecard sent as XML, and refuses XML that is not one", async () => {
    const pmml = readFileSync(new URL("../data/models/german-credit.pmml", import.meta.url), "utf8");
    const r = await f.app.inject({
      method: "POST",
      url: "/v1/models",
      headers: { ...op(), "content-type": "application/xml" },
      payload: pmml,
    });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().modelId).toBe("german-credit-v2");
    const models = (await f.app.inject({ url: "/v1/models", headers: op() })).json();
    const stored = models.items.find((m: { modelId: string }) => m.modelId === "german-credit-v2");
    expect(stored).toMatchObject({ format: "pmml", active: false });
    const bad = await f.app.inject({
      method: "POST",
      url: "/v1/models",
      headers: { ...op(), "content-type": "text/xml" },
      payload: "<PMML><Header>",
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: "model_invalid", details: { reason: "xml_malformed" } });
  });
});

describe("web UI fallback", () => {
  let f: ApiFixture;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "hr-web-"));
    writeFileSync(join(dir, "index.html"), "<!doctype html><title>Headroom</title>");
    f = await startApi("sqlite", { webDistDir: dir }, "spa");
  });
  afterAll(async () => {
    await f?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("serves index.html for unknown page paths, and JSON 404s for the API, files and other methods", async () => {
    const page = await f.app.inject({ url: "/console/reviews?x=1" });
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-type"]).toMatch(/^text\/html/);
    expect(page.body).toContain("<title>Headroom</title>");
    for (const url of ["/v1/nothing", "/assets/missing.js"]) {
      const r = await f.app.inject({ url });
      expect(r.statusCode, url).toBe(404);
      expect(r.json().error.code).toBe("route_not_found");
    }
    const post = await f.app.inject({ method: "POST", url: "/console" });
    expect(post.statusCode).toBe(404);
  });
});
