// `headroom audit verify`, `replay` and `ledger verify` on a SQLite file, as scripts use them, with the
// reproductions of issue #16 as regressions: a decision moved to another customer by its customer_id column
// alone (replay said identical), a ledger entry removed while its postings stay (ledger verify passed).

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditCommand } from "../src/cli/audit-command.js";
import { decideCommand } from "../src/cli/decide-command.js";
import { lineDrawCommand } from "../src/cli/line-draw-command.js";
import { lineOpenCommand } from "../src/cli/line-open-command.js";
import { ledgerVerifyCommand } from "../src/cli/line-verify-command.js";
import { replayCommand } from "../src/cli/replay-command.js";
import { runCommand } from "./support/cli.js";

const run = runCommand;

describe("audit commands", () => {
  let dir: string;
  let db: string;
  let decisionId: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "headroom-audit-cli-"));
    db = join(dir, "cli.db");
    for (const n of [1, 2]) {
      const opened = await run(lineOpenCommand, [
        "--customer",
        `c-${n}`,
        "--limit",
        "2000000",
        "--line",
        `l-${n}`,
        "--date",
        "2026-03-01",
        "--db",
        db,
      ]);
      expect(opened.code, opened.err).toBe(0);
      const drawn = await run(lineDrawCommand, [
        `l-${n}`,
        "--amount",
        "100000",
        "--term",
        "3",
        "--method",
        "equal_principal",
        "--db",
        db,
      ]);
      expect(drawn.code, drawn.err).toBe(0);
    }
    const decided = await run(decideCommand, ["c-1", "--db", db, "--json"]);
    expect(decided.code, decided.err).toBe(0);
    decisionId = JSON.parse(decided.out).decisionId;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Changes the file as someone with file access could: a connection of its own, refusals and foreign keys off. */
  function tamper(sql: string, params: unknown[] = []): void {
    const file = new Database(db);
    try {
      file.pragma("foreign_keys = OFF");
      file.exec(
        "BEGIN; DROP TRIGGER IF EXISTS decisions_append_only_update; DROP TRIGGER IF EXISTS ledger_entries_append_only_delete;",
      );
      file.prepare(sql).run(...params);
      file.exec("COMMIT");
    } finally {
      file.close();
    }
  }

  it("audit verify exits 0 on an intact file and warns that the development key is in use", async () => {
    const verified = await run(auditCommand, ["verify", "--db", db, "--json"]);
    expect(verified.code, verified.out + verified.err).toBe(0);
    const report = JSON.parse(verified.out);
    expect(report).toMatchObject({ ok: true, developmentKey: true, violationCount: 0, violations: [] });
    expect(report.chains.map((c: { table: string }) => c.table)).toEqual(["decisions", "ledger_entries"]);
    expect(verified.err).toMatch(/HEADROOM_AUDIT_KEY is not set/);
    const human = await run(auditCommand, ["verify", "--db", db]);
    expect(human.out).toMatch(
      /^audit chains verify: decisions 1 row\(s\), head seq 1; ledger_entries 2 row\(s\)/,
    );
    expect((await run(auditCommand, ["nonsense", "--db", db])).code).toBe(2);
  });

  it("prints the application role's grants, and refuses a role name that is not a plain identifier", async () => {
    const printed = await run(auditCommand, ["grant-app-role", "--role", "headroom_app", "--print"]);
    expect(printed.code).toBe(0);
    expect(printed.out).toContain(
      "REVOKE UPDATE, DELETE ON decisions, ledger_entries, postings FROM headroom_app;",
    );
    expect((await run(auditCommand, ["grant-app-role", "--role", "x; DROP TABLE y", "--print"])).code).toBe(
      2,
    );
  });

  it("regression: a decision moved to another customer by its customer_id alone fails replay and audit verify", async () => {
    tamper("UPDATE decisions SET customer_id = 'c-2' WHERE decision_id = ?", [decisionId]);
    const replayed = await run(replayCommand, [decisionId, "--db", db, "--json"]);
    expect(replayed.code).toBe(3);
    expect(JSON.parse(replayed.out).differences).toContainEqual({
      path: "row.customer_id",
      recorded: "c-2",
      replayed: "c-1",
    });
    const verified = await run(auditCommand, ["verify", "--db", db, "--json"]);
    expect(verified.code).toBe(1);
    expect(JSON.parse(verified.out).violations).toContainEqual(
      expect.objectContaining({ table: "decisions", kind: "column_mismatch", seq: 1, id: decisionId }),
    );
    const human = await run(auditCommand, ["verify", "--db", db]);
    expect(human.out).toContain(`decisions seq 1 ${decisionId}: column_mismatch: customer_id is "c-2"`);
  });

  it("regression: a ledger entry removed while its postings stay fails ledger verify and audit verify", async () => {
    const file = new Database(db, { readonly: true });
    const entry = file.prepare("SELECT entry_id, seq FROM ledger_entries ORDER BY seq LIMIT 1").get() as {
      entry_id: string;
      seq: number;
    };
    file.close();
    // With foreign keys off, as the sqlite3 shell opens a file, the postings survive the entry.
    tamper("DELETE FROM ledger_entries WHERE entry_id = ?", [entry.entry_id]);
    const ledger = await run(ledgerVerifyCommand, ["--db", db, "--json"]);
    expect(ledger.code).toBe(1);
    expect(JSON.parse(ledger.out).postingsWithoutEntry).toEqual([
      { entryId: entry.entry_id, postings: expect.any(Number) },
    ]);
    const human = await run(ledgerVerifyCommand, ["--db", db]);
    expect(human.out).toContain(`of entry ${entry.entry_id}, which the ledger does not hold`);
    const verified = await run(auditCommand, ["verify", "--db", db, "--json"]);
    expect(verified.code).toBe(1);
    expect(JSON.parse(verified.out).violations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ table: "ledger_entries", kind: "chain_break", seq: entry.seq + 1 }),
        expect.objectContaining({ table: "postings", kind: "orphan_postings", id: entry.entry_id }),
      ]),
    );
  });
});
