// The operator audit log's write: one entry (who, what, before, after) in its own transaction. Changes that
// must commit with their entry (webhook subscriptions, key revocation) append it in their own transaction.

import { type AuditEntryInput, appendAudit, type Db } from "../store/index.js";

export async function recordAudit(db: Db, entry: AuditEntryInput): Promise<void> {
  await db.transaction((tx) => appendAudit(tx, entry));
}
