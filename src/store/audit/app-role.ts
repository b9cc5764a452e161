// The PostgreSQL role the application should run as: everything it needs, but no UPDATE, DELETE or TRUNCATE on
// the append-only tables (decisions, ledger_entries, postings) and no DELETE or TRUNCATE on the chain anchors
// (it moves their heads). Granted by the schema's owner after each migration (`headroom audit grant-app-role`):
// a migration cannot assume the right to create roles, and tables added later need granting too. The triggers
// refuse the same statements for every role but a table owner who drops them; the role makes that refusal the
// database's privilege system's, not only a trigger's.

import { assert } from "../../kernel/index.js";
import type { Db } from "../sql/db.js";

/** The append-only tables, whose rows the application role may only insert and read. */
export const appendOnlyTables = ["decisions", "ledger_entries", "postings"] as const;

/** Role names accepted: a plain lower-case identifier (nothing to quote, nothing to inject). */
export const roleNamePattern = /^[a-z_][a-z0-9_]{0,62}$/;

export function isRoleName(name: string): boolean {
  return roleNamePattern.test(name);
}

/** The statements granting `role` its rights on the current database's public schema (idempotent). */
export function appRoleGrantSql(role: string): string {
  assert(isRoleName(role), "a role name is a plain lower-case identifier");
  return `-- Headroom application role "${role}": run as the owner of the schema, after every migration.
GRANT USAGE ON SCHEMA public TO ${role};
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role};
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${role};
REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM ${role};
REVOKE UPDATE, DELETE ON ${appendOnlyTables.join(", ")} FROM ${role};
REVOKE DELETE ON chain_anchors FROM ${role};
`;
}

/** Runs `appRoleGrantSql(role)` on a PostgreSQL database (as its owner). The role must exist. */
export async function grantAppRole(db: Db, role: string): Promise<void> {
  assert(db.dialect === "postgres", "database roles are PostgreSQL's");
  await db.transaction((tx) => tx.exec(appRoleGrantSql(role)));
}
