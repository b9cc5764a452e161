// The decision commands on a SQLite file, as scripts use them: decide prints the record with its
// decisionId, the lists keep their documented shapes, replay exits non-zero on a tampered record, and the
// registry commands publish versions (and refuse invalid ones with paths).

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { customersListCommand } from "../src/cli/customers-command.js";
import { decideCommand } from "../src/cli/decide-command.js";
import { decisionsListCommand } from "../src/cli/decisions-command.js";
import { lineOpenCommand } from "../src/cli/line-open-command.js";
import {
  macroSetCommand,
  modelActivateCommand,
  modelRegisterCommand,
  policyPublishCommand,
} from "../src/cli/model-command.js";
import { replayCommand } from "../src/cli/replay-command.js";
import { openStore } from "../src/store/index.js";
import { bumpedMacro, bumpedModel, bumpedPolicy } from "./engine-fixtures.js";
import { runCommand } from "./support/cli.js";

const run = runCommand;

describe("decision commands", () => {
  let dir: string;
  let db: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "headroom-engine-cli-"));
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
        "--json",
      ]);
      expect(opened.code, opened.err + opened.out).toBe(0);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("decide prints the record; decisions list and customers list keep their shapes", async () => {
    const decided = await run(decideCommand, ["c-1", "--db", db, "--json"]);
    expect(decided.code, decided.err).toBe(0);
    const record = JSON.parse(decided.out);
    expect(record.decisionId).toMatch(/^dec-[0-9a-z]{9}[0-9a-f]{16}$/);
    expect(record.trigger).toBe("reevaluation.requested");
    expect(record.triggerDetail.actor).toBe("operator");
    const list = await run(decisionsListCommand, ["--customer", "c-1", "--db", db, "--json"]);
    expect(JSON.parse(list.out)).toEqual([
      {
        decisionId: record.decisionId,
        customerId: "c-1",
        trigger: "reevaluation.requested",
        businessDate: "2026-03-01",
        previousLimitMinor: 2_000_000,
        newLimitMinor: record.newLimitMinor,
        reasonCodes: record.explanation.reasons.map((r: { code: string }) => r.code),
      },
    ]);
    const customers = JSON.parse((await run(customersListCommand, ["--db", db, "--json"])).out);
    expect(customers).toEqual([
      {
        customerId: "c-1",
        lineId: "l-1",
        limitMinor: record.newLimitMinor,
        availableMinor: record.newLimitMinor,
        outstandingMinor: 0,
        status: "active",
      },
      {
        customerId: "c-2",
        lineId: "l-2",
        limitMinor: 2_000_000,
        availableMinor: 2_000_000,
        outstandingMinor: 0,
        status: "active",
      },
    ]);
    const unknown = await run(decideCommand, ["nobody", "--db", db, "--json"]);
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.out).error.code).toBe("customer_not_found");
  });

  it("registers a model, publishes a challenger policy and macro settings, refusing invalid documents", async () => {
    const modelFile = join(dir, "model.json");
    writeFileSync(modelFile, JSON.stringify(bumpedModel()));
    const registered = await run(modelRegisterCommand, [modelFile, "--db", db, "--json"]);
    expect(registered.code, registered.err + registered.out).toBe(0);
    expect(JSON.parse(registered.out)).toMatchObject({
      modelId: "default-behaviour-v2",
      created: true,
      active: false,
    });
    expect((await run(modelActivateCommand, ["default-behaviour-v2", "--db", db])).code).toBe(0);
    const missing = await run(modelActivateCommand, ["nope", "--db", db, "--json"]);
    expect(JSON.parse(missing.out).error.code).toBe("model_not_found");

    const policyFile = join(dir, "policy.json");
    writeFileSync(policyFile, JSON.stringify(bumpedPolicy()));
    const published = await run(policyPublishCommand, [policyFile, "--weight", "1", "--db", db, "--json"]);
    expect(published.code, published.err + published.out).toBe(0);
    expect(JSON.parse(published.out).arms).toEqual([
      { policyId: "default-limit-policy", version: 1, weight: 1 },
      { policyId: "default-limit-policy", version: 2, weight: 1 },
    ]);
    const badFile = join(dir, "bad.json");
    writeFileSync(badFile, JSON.stringify({ ...(bumpedPolicy() as object), version: 3, bands: [] }));
    const bad = await run(policyPublishCommand, [badFile, "--db", db]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/policy_invalid/);
    expect(bad.err).toMatch(/\/bands/);

    const macroFile = join(dir, "macro.json");
    writeFileSync(macroFile, JSON.stringify(bumpedMacro()));
    const macro = await run(macroSetCommand, [macroFile, "--db", db, "--json"]);
    expect(JSON.parse(macro.out)).toMatchObject({ version: 2, announcementId: "ann-macro-default-macro-v2" });
  });

  it("replay exits 0 on an intact record and 3 listing the field on a tampered one", async () => {
    const decided = JSON.parse((await run(decideCommand, ["c-2", "--db", db, "--json"])).out);
    expect(decided.versions.modelId).toBe("default-behaviour-v2");
    const intact = await run(replayCommand, [decided.decisionId, "--db", db, "--json"]);
    expect(intact.code).toBe(0);
    expect(JSON.parse(intact.out)).toEqual({
      decisionId: decided.decisionId,
      identical: true,
      differences: [],
    });
    // Force past the append-only guard, as an attacker with file access could. The row keeps the new limit once
    // (its column; the stored record reads it there), so the explanation's copy of it reads as tampered too.
    const store = await openStore(db);
    await store.db.transaction(async (tx) => {
      await tx.exec("DROP TRIGGER decisions_append_only_update");
      await tx.run("UPDATE decisions SET new_limit_minor = 1 WHERE decision_id = ?", [decided.decisionId]);
    });
    await store.close();
    const tampered = await run(replayCommand, [decided.decisionId, "--db", db, "--json"]);
    expect(tampered.code).toBe(3);
    expect(JSON.parse(tampered.out).differences).toEqual(
      expect.arrayContaining([
        { path: "newLimitMinor", recorded: 1, replayed: decided.newLimitMinor },
        { path: "explanation.newLimitMinor", recorded: 1, replayed: decided.newLimitMinor },
      ]),
    );
  });
});
