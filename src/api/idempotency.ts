// HTTP idempotency for money routes: `Idempotency-Key` is required; the first request claims the key, a retry
// gets the stored response (same status, same body), the same key with another body is refused, and a retry
// while the first is still running is told so. Only successful responses are stored: a 4xx leaves the key free.
// A key belongs to a scope, not to the API key that sent it: a money route's to its line (two API keys of one
// customer sending the same key and body make one drawdown), an operator route's to the operator.

import { createHash } from "node:crypto";
import type { FastifyRequest } from "fastify";
import { idempotencyKeyLengthMax } from "../engine/index.js";
import { assertNever, type Clock } from "../kernel/index.js";
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  type Db,
  releaseIdempotencyKey,
} from "../store/index.js";
import type { Principal } from "./auth.js";
import { ApiError } from "./errors.js";

/** A claim left by a process that died is taken over after this long. */
export const idempotencyInFlightTtlMs = 60_000;

/** Stable JSON (sorted keys) so that the same body in another key order hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

export function requestHash(route: string, params: unknown, body: unknown): string {
  return createHash("sha256")
    .update(`${route}\n${canonicalJson(params)}\n${canonicalJson(body)}`)
    .digest("hex");
}

/** The header's value, validated; throws `idempotency_key_required` when absent or malformed. */
export function idempotencyKeyOf(request: FastifyRequest): string {
  const raw = request.headers["idempotency-key"];
  const key = Array.isArray(raw) ? raw[0] : raw;
  if (key === undefined || key.trim() === "") {
    throw new ApiError("idempotency_key_required", "this route needs an Idempotency-Key header");
  }
  if (key.length > idempotencyKeyLengthMax || !/^[\x21-\x7e]+$/.test(key)) {
    throw new ApiError(
      "idempotency_key_required",
      `an Idempotency-Key is 1–${idempotencyKeyLengthMax} printable ASCII characters`,
    );
  }
  return key;
}

/** Whose keys a route's Idempotency-Key is among (see `scopeKey`). */
export type IdempotencyScope =
  | { readonly kind: "line"; readonly lineId: string }
  | { readonly kind: "operator"; readonly principal: Principal };

/** The stored scope: `line:<lineId>`, or `key:<keyId>` for an operator (as rows from before scopes read). */
export function scopeKey(scope: IdempotencyScope): string {
  switch (scope.kind) {
    case "line":
      return `line:${scope.lineId}`;
    case "operator":
      return `key:${scope.principal.keyId}`;
    default:
      return assertNever(scope, "idempotency scope");
  }
}

export interface IdempotentResponse {
  readonly status: number;
  readonly body: unknown;
}

/**
 * Runs `work` at most once per (scope, key), whichever API key sends it: the database's key on the claim decides.
 * `work` gets the key qualified by its scope, to pass on as the domain's own idempotency key, so that even a
 * crash between the change and storing the response cannot apply the change twice.
 */
export async function runIdempotent(
  db: Db,
  clock: Clock,
  principal: Principal,
  request: FastifyRequest,
  route: string,
  scope: IdempotencyScope,
  work: (scopedKey: string) => Promise<IdempotentResponse>,
): Promise<IdempotentResponse & { replayed: boolean }> {
  const key = idempotencyKeyOf(request);
  const scoped = scopeKey(scope);
  const claim = await claimIdempotencyKey(db, {
    scope: scoped,
    keyId: principal.keyId,
    idempotencyKey: key,
    route,
    requestHash: requestHash(route, request.params, request.body),
    nowMs: clock.nowMs(),
    inFlightTtlMs: idempotencyInFlightTtlMs,
  });
  switch (claim.kind) {
    case "replay":
      return { status: claim.status, body: claim.body, replayed: true };
    case "mismatch":
      throw new ApiError("idempotency_key_mismatch", "this Idempotency-Key was used with another request");
    case "in_flight":
      throw new ApiError(
        "idempotency_request_in_flight",
        "a request with this Idempotency-Key is still being processed; retry later",
        {},
        { "retry-after": "1" },
      );
    case "claimed":
      break;
    default:
      assertNever(claim, "idempotency claim");
  }
  let response: IdempotentResponse;
  try {
    response = await work(`http:${createHash("sha256").update(`${scoped}\n${key}`).digest("hex")}`);
  } catch (error) {
    await releaseIdempotencyKey(db, scoped, key);
    throw error;
  }
  if (response.status >= 200 && response.status < 300) {
    await completeIdempotencyKey(db, scoped, key, response.status, response.body, clock.nowMs());
  } else {
    await releaseIdempotencyKey(db, scoped, key);
  }
  return { ...response, replayed: false };
}
