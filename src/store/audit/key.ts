// The key that anchors the hash chains: an HMAC key kept outside the database, so that rewriting a whole chain
// consistently is caught by the anchor. It comes from HEADROOM_AUDIT_KEY; unset, the labelled development key is
// used, and `headroom audit verify` says so. src/api/config.ts reads and validates it at start (`loadAuditConfig`)
// and sets it with `setAuditKey`; a thread that configured nothing (a review worker thread, the simulator, a
// bench) reads the same variable here, once, with the same rule: every thread that appends to a chain must
// anchor it with one key, and threading it through every store constructor and worker message would leave a
// forgotten path writing anchors no verifier accepts.

import { assert } from "../../kernel/index.js";

/** Shortest key accepted (characters): 32 random characters carry well over 128 bits. */
export const auditKeyLengthMin = 32;

/** Public, and so no protection at all: for demos and tests only. `audit verify` warns while it is in use. */
export const auditKeyDevelopmentText = "headroom-development-audit-key-NOT-SECRET-set-HEADROOM_AUDIT_KEY";

export interface AuditKey {
  /** The key text (UTF-8 bytes are the HMAC key). */
  readonly secret: string;
  /** True for the development key. */
  readonly isDevelopmentKey: boolean;
}

export function auditKeyOf(secret: string): AuditKey {
  assert(secret.length >= auditKeyLengthMin, "an audit key has at least auditKeyLengthMin characters");
  return Object.freeze({ secret, isDevelopmentKey: secret === auditKeyDevelopmentText });
}

export const developmentAuditKey: AuditKey = auditKeyOf(auditKeyDevelopmentText);

/** The key for a HEADROOM_AUDIT_KEY value: unset or empty, the development key; shorter than the minimum, an error. */
export function auditKeyFromText(text: string | undefined): AuditKey {
  if (text === undefined || text === "") return developmentAuditKey;
  if (text.length < auditKeyLengthMin) {
    throw new Error(`HEADROOM_AUDIT_KEY must have at least ${auditKeyLengthMin} characters`);
  }
  return auditKeyOf(text);
}

let inUse: AuditKey | null = null;

/** Sets this process's (this thread's) audit key: done once, at the edge, from the validated configuration. */
export function setAuditKey(key: AuditKey): void {
  inUse = key;
}

/** The key writers anchor the chains with and `audit verify` checks against. */
export function auditKeyInUse(): AuditKey {
  inUse ??= auditKeyFromText(process.env.HEADROOM_AUDIT_KEY);
  return inUse;
}
