// API keys: 32 random bytes, base64url, prefixed `hr_`; only the SHA-256 hash is stored. Roles borrower (bound
// to one customer: reads its own data, draws, repays, asks for re-evaluation), integration (the lender's own
// systems: posts behaviour events, nothing else), operator, admin (operator + key management). A borrower reaching for another customer's
// resource gets 404, never 403, so ids cannot be probed.

import { createHash, randomBytes } from "node:crypto";
import type { Clock } from "../kernel/index.js";
import {
  type ApiKeyRecord,
  type ApiRole,
  appendAudit,
  type Db,
  findApiKeyByHash,
  insertApiKey,
  listApiKeys,
  revokeApiKey,
} from "../store/index.js";
import { ApiError } from "./errors.js";

export const apiKeyPrefix = "hr_";
export const apiKeyRandomBytes = 32;
/** Successful look-ups are cached this long; a revoked key stops working within it. */
export const keyCacheTtlMs = 10_000;
export const keyCacheEntriesMax = 10_000;
export const apiKeyLabelLengthMax = 200;

export const apiRoles = [
  "borrower",
  "integration",
  "operator",
  "admin",
] as const satisfies readonly ApiRole[];

/** Who is calling. */
export interface Principal {
  readonly keyId: string;
  readonly role: ApiRole;
  /** Set for a borrower, null otherwise. */
  readonly customerId: string | null;
}

/**
 * What a route demands. "none": public; "key": any valid key; "borrower": a borrower, operator or admin key (an
 * integration key only posts events); "events": an integration, operator or admin key; "operator": operator or
 * admin; "admin".
 */
export type AccessLevel = "none" | "key" | "borrower" | "events" | "operator" | "admin";

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

export function generateApiKey(): { key: string; keyId: string } {
  const key = `${apiKeyPrefix}${randomBytes(apiKeyRandomBytes).toString("base64url")}`;
  return { key, keyId: `key_${randomBytes(8).toString("hex")}` };
}

export interface CreateKeyRequest {
  readonly role: ApiRole;
  readonly customerId?: string | null;
  readonly label?: string;
  readonly ttlMs?: number | null;
}

/** Makes a key, stores its hash, returns the key text (shown once). */
export async function createApiKey(
  db: Db,
  clock: Clock,
  request: CreateKeyRequest,
): Promise<{ key: string; keyId: string; role: ApiRole; customerId: string | null }> {
  const customerId = request.customerId ?? null;
  if (request.role === "borrower" && (customerId === null || customerId === "")) {
    throw new ApiError("invalid_request", "a borrower key is bound to a customer (--customer)");
  }
  if (request.role !== "borrower" && customerId !== null) {
    throw new ApiError("invalid_request", "only a borrower key is bound to a customer");
  }
  const { key, keyId } = generateApiKey();
  const nowMs = clock.nowMs();
  const record: ApiKeyRecord = {
    keyId,
    keyHash: hashApiKey(key),
    role: request.role,
    customerId,
    label: (request.label ?? "").slice(0, apiKeyLabelLengthMax),
    createdMs: nowMs,
    expiresMs: request.ttlMs ? nowMs + request.ttlMs : null,
    revokedMs: null,
  };
  await db.transaction((tx) => insertApiKey(tx, record));
  return { key, keyId, role: record.role, customerId };
}

export interface Authenticator {
  /** The principal for an Authorization header, or null when there is none or it is not valid. */
  authenticate(header: string | undefined): Promise<Principal | null>;
  /** Drops every cached look-up (after a revocation, so it takes effect at once in this process). */
  forget(): void;
}

export function createAuthenticator(db: Db, clock: Clock): Authenticator {
  const cache = new Map<string, { record: ApiKeyRecord; cachedMs: number }>();
  return {
    async authenticate(header) {
      if (!header) return null;
      const match = /^Bearer\s+(hr_[A-Za-z0-9_-]{16,128})\s*$/.exec(header);
      if (!match?.[1]) return null;
      const hash = hashApiKey(match[1]);
      const nowMs = clock.nowMs();
      let hit = cache.get(hash);
      if (!hit || nowMs - hit.cachedMs > keyCacheTtlMs) {
        const record = await db.read((tx) => findApiKeyByHash(tx, hash));
        if (!record) return null;
        if (cache.size >= keyCacheEntriesMax) cache.clear();
        hit = { record, cachedMs: nowMs };
        cache.set(hash, hit);
      }
      const r = hit.record;
      if (r.revokedMs !== null || (r.expiresMs !== null && r.expiresMs <= nowMs)) return null;
      return { keyId: r.keyId, role: r.role, customerId: r.customerId };
    },
    forget() {
      cache.clear();
    },
  };
}

export function isOperator(p: Principal): boolean {
  return p.role === "operator" || p.role === "admin";
}

/** Throws unless the principal meets the level (401 without a principal, 403 for a weaker role). */
export function requireLevel(principal: Principal | null, level: AccessLevel): void {
  if (level === "none") return;
  if (!principal)
    throw new ApiError("unauthorized", "a valid API key is required (Authorization: Bearer hr_…)");
  if (level === "borrower" && principal.role === "integration") {
    throw new ApiError("forbidden", "an integration key only posts events");
  }
  if (level === "events" && principal.role === "borrower") {
    throw new ApiError("forbidden", "behaviour events come from the lender's systems (an integration key)");
  }
  if (level === "operator" && !isOperator(principal)) throw new ApiError("forbidden", "operators only");
  if (level === "admin" && principal.role !== "admin") throw new ApiError("forbidden", "admins only");
}

/** A borrower may see only their own customer; anything else is "not found". */
export function canSeeCustomer(principal: Principal, customerId: string): boolean {
  return isOperator(principal) || (principal.role === "borrower" && principal.customerId === customerId);
}

export function notFound(what: string): ApiError {
  return new ApiError("not_found", `${what} not found`);
}

export function requireCustomer(principal: Principal, customerId: string, what = "customer"): void {
  if (!canSeeCustomer(principal, customerId)) throw notFound(what);
}

/** The actor name written to the audit log. */
export function actorOf(principal: Principal): string {
  return `${principal.role}:${principal.keyId}`;
}

/** A key as listings show it: ids, role, label and dates, never the key or its hash. */
export interface KeyView {
  readonly keyId: string;
  readonly role: ApiRole;
  readonly customerId: string | null;
  readonly label: string;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
}

const isoOrNull = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Every key, newest first, at most `limit` (the API's and the CLI's listing). */
export async function listKeyViews(db: Db, limit: number): Promise<KeyView[]> {
  const keys = await db.read((tx) => listApiKeys(tx, limit));
  return keys.map((k) => ({
    keyId: k.keyId,
    role: k.role,
    customerId: k.customerId,
    label: k.label,
    createdAt: new Date(k.createdMs).toISOString(),
    expiresAt: isoOrNull(k.expiresMs),
    revokedAt: isoOrNull(k.revokedMs),
  }));
}

/** Revokes an active key with its audit entry, in one transaction; false when no active key has that id. */
export function revokeKey(db: Db, keyId: string, nowMs: number, actor: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const done = await revokeApiKey(tx, keyId, nowMs);
    if (done) {
      await appendAudit(tx, {
        atMs: nowMs,
        actor,
        action: "key.revoked",
        target: keyId,
        before: null,
        after: { revokedAt: isoOrNull(nowMs) },
      });
    }
    return done;
  });
}
