import { describe, expect, it } from "vitest";
import { migrations } from "../migrations/index.js";
import { checkMigrationList, migrate } from "./migrate.js";
import { openSqliteDb } from "./sqlite.js";

describe("migration list", () => {
  it("is applied in the order of its numbers", () => {
    expect(() => checkMigrationList(migrations)).not.toThrow();
    const numbers = migrations.map((m) => Number(m.name.slice(0, 3)));
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
  });

  it("refuses a list whose order does not follow the numbers", () => {
    const swapped = [migrations[1], migrations[0], ...migrations.slice(2)].filter((m) => m !== undefined);
    expect(() => checkMigrationList(swapped)).toThrow(/listed after a later-numbered one/);
  });

  it("leaves a database migrated in an earlier order with nothing to apply", async () => {
    const db = openSqliteDb(":memory:");
    try {
      const earlier = [...migrations];
      const at = earlier.findIndex((m) => m.name.startsWith("016-"));
      const before = earlier.findIndex((m) => m.name.startsWith("015-"));
      // The order databases were migrated in before the list was put in number order: 016 before 015.
      [earlier[before], earlier[at]] = [earlier[at] as never, earlier[before] as never];
      for (const m of earlier) await migrate(db, 1, [m]);
      expect(await migrate(db, 2)).toEqual([]);
    } finally {
      await db.close();
    }
  });
});
