// `headroom keys create | list | revoke` on both stores, driven in-process through the command table: an
// integration key is made, listed without its secret, revoked (audited), and a second revocation is refused.

import { afterEach, describe, expect, it } from "vitest";
import { createAuthenticator } from "../src/api/index.js";
import { systemClock } from "../src/engine/index.js";
import { listAudit, openStore } from "../src/store/index.js";
import { runCli } from "./support/cli.js";
import { createTestDatabase, dialectsUnderTest, type TestDatabase } from "./support/databases.js";

const dialects = await dialectsUnderTest("keys-cli");

async function cli(db: string, words: string, ...args: string[]): Promise<{ code: number; out: unknown }> {
  const { code, out } = await runCli(words, [...args, "--db", db, "--json"]);
  return { code, out: out.trim() ? JSON.parse(out) : null };
}

describe.each(dialects)("keys CLI on %s", (dialect) => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.drop();
    database = undefined;
  });

  it("creates an integration key, lists it without its secret, revokes it once", async () => {
    database = await createTestDatabase(dialect, "keys");
    const made = await cli(database.url, "keys create", "--role", "integration", "--label", "core-banking");
    expect(made.code).toBe(0);
    const { key, keyId } = made.out as { key: string; keyId: string };
    const listed = await cli(database.url, "keys list");
    expect(listed.code).toBe(0);
    expect(listed.out).toEqual([
      expect.objectContaining({ keyId, role: "integration", label: "core-banking", revokedAt: null }),
    ]);
    expect(JSON.stringify(listed.out)).not.toContain(key.slice(3));

    const store = await openStore(database.url);
    try {
      const auth = createAuthenticator(store.db, systemClock);
      expect(await auth.authenticate(`Bearer ${key}`)).toMatchObject({ role: "integration", keyId });
      expect((await cli(database.url, "keys revoke", keyId)).out).toEqual({ keyId, revoked: true });
      auth.forget();
      expect(await auth.authenticate(`Bearer ${key}`)).toBeNull();
      const audit = await store.db.read((tx) => listAudit(tx, 10, null));
      expect(audit.map((a) => [a.action, a.target])).toContainEqual(["key.revoked", keyId]);
    } finally {
      await store.close();
    }
    const again = await cli(database.url, "keys revoke", keyId);
    expect(again.code).toBe(1);
    expect(again.out).toMatchObject({ error: { code: "not_found" } });
    const refused = await cli(database.url, "keys create", "--role", "integration", "--customer", "c-1");
    expect(refused.code).toBe(2);
  });
});
