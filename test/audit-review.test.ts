// The decisions chain across every writer: a simulated portfolio (bulk writes), then a portfolio review on worker
// threads (record hashes taken where the records are built), then `headroom audit verify` finds nothing, and a
// record the review wrote, changed in place, is named.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./support/cli.js";

const cli = (words: string, ...argv: string[]) => runCli(words, argv);

describe("the decisions chain through a simulation and a review", () => {
  let dir: string;
  let db: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "headroom-audit-review-"));
    db = join(dir, "review.db");
    const simulated = await cli(
      "simulate",
      "--customers",
      "40",
      "--months",
      "2",
      "--seed",
      "3",
      "--db",
      db,
      "--json",
    );
    expect(simulated.code, simulated.err).toBe(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("verifies after a review on worker threads, and names a review record changed in place", async () => {
    const reviewed = await cli("review", "--db", db, "--json");
    expect(reviewed.code, reviewed.err).toBe(0);
    const sqlite = new Database(db);
    const reviewRows = sqlite
      .prepare(
        "SELECT decision_id FROM decisions WHERE trigger_kind = 'review.periodic' ORDER BY seq DESC LIMIT 1",
      )
      .all() as { decision_id: string }[];
    sqlite.close();
    expect(reviewRows.length).toBe(1);
    const clean = await cli("audit", "verify", "--db", db, "--json");
    expect(clean.code, clean.out).toBe(0);

    const raw = new Database(db);
    // The append-only triggers stand between a session and the row; dropping them is what a tamperer would do.
    for (const { name } of raw
      .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'decisions'")
      .all() as { name: string }[])
      raw.exec(`DROP TRIGGER "${name}"`);
    raw
      .prepare(
        "UPDATE decisions SET record = replace(record, 'review.periodic', 'review.periodix') WHERE decision_id = ?",
      )
      .run(reviewRows[0]!.decision_id);
    raw.close();
    const tampered = await cli("audit", "verify", "--db", db, "--json");
    expect(tampered.code).toBe(1);
    expect(tampered.out).toContain(reviewRows[0]!.decision_id);
  });
});
