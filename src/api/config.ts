// The server's configuration: read once from the environment and explicit overrides, validated, frozen.
// This module is the only reader of process.env in the API; everything below receives the frozen object.

import { type AuditKey, auditKeyFromText, auditKeyLengthMin } from "../store/index.js";

export interface ApiConfig {
  readonly port: number;
  readonly host: string;
  /** Largest request body accepted, in bytes. */
  readonly bodyLimitBytes: number;
  /** Demo routes (`/v1/demo/*`) are registered only when set. */
  readonly demoMode: boolean;
  /** Allows webhook URLs on loopback, private and link-local addresses (development only). */
  readonly allowPrivateWebhookUrls: boolean;
  /** Directory of the web UI's static build, served at `/` when it exists. */
  readonly webDistDir: string | null;
  /** Lifetime of a key made by `POST /v1/demo/session`, in seconds. */
  readonly demoSessionTtlSeconds: number;
  /** Log requests (pino via Fastify) when set. */
  readonly logRequests: boolean;
  /**
   * Key roles whose bureau reports and verifications are accepted (`HEADROOM_TRUSTED_EVENT_ROLES`, a comma
   * list of integration, operator, admin; default all three). Borrower keys never post events.
   */
  readonly trustedEventRoles: readonly TrustedEventRole[];
}

export type TrustedEventRole = "integration" | "operator" | "admin";
const trustedEventRoleNames: readonly TrustedEventRole[] = ["integration", "operator", "admin"];

function parseTrustedRoles(value: string | undefined): readonly TrustedEventRole[] {
  if (value === undefined || value.trim() === "") return trustedEventRoleNames;
  const roles = value
    .split(",")
    .map((r) => r.trim())
    .filter((r) => r !== "");
  for (const role of roles) {
    if (!(trustedEventRoleNames as readonly string[]).includes(role)) {
      throw new ConfigError(
        `HEADROOM_TRUSTED_EVENT_ROLES lists roles among ${trustedEventRoleNames.join(", ")}, got "${role}"`,
      );
    }
  }
  return Object.freeze([...new Set(roles)] as TrustedEventRole[]);
}

export const portDefault = 3000;
export const hostDefault = "127.0.0.1";
export const bodyLimitDefaultBytes = 1_048_576;
export const bodyLimitMaxBytes = 16 * 1_048_576;
export const demoSessionTtlDefaultSeconds = 8 * 3600;

export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly code = "config_invalid";
}

function parsePort(value: string | number | undefined, what: string): number {
  if (value === undefined || value === "") return portDefault;
  const n = typeof value === "number" ? value : Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535)
    throw new ConfigError(`${what} must be a port 0–65535, got "${value}"`);
  return n;
}

function parseFlag(value: string | undefined): boolean {
  return value === "1" || value === "true" || value === "yes";
}

/** Builds the frozen config: explicit overrides win over the environment, which wins over defaults. */
export function loadApiConfig(
  overrides: Partial<ApiConfig> = {},
  env: Readonly<Record<string, string | undefined>> = process.env,
): ApiConfig {
  const port =
    overrides.port !== undefined ? parsePort(overrides.port, "--port") : parsePort(env.PORT, "PORT");
  const host = overrides.host ?? (env.HOST || hostDefault);
  if (!/^[\w.:[\]-]+$/.test(host))
    throw new ConfigError(`HOST must be a host name or address, got "${host}"`);
  const bodyLimitBytes = overrides.bodyLimitBytes ?? bodyLimitDefaultBytes;
  if (!Number.isInteger(bodyLimitBytes) || bodyLimitBytes < 1024 || bodyLimitBytes > bodyLimitMaxBytes) {
    throw new ConfigError(`bodyLimitBytes must be an integer in 1024…${bodyLimitMaxBytes}`);
  }
  const demoSessionTtlSeconds = overrides.demoSessionTtlSeconds ?? demoSessionTtlDefaultSeconds;
  if (!Number.isInteger(demoSessionTtlSeconds) || demoSessionTtlSeconds <= 0) {
    throw new ConfigError("demoSessionTtlSeconds must be a positive integer");
  }
  return Object.freeze({
    port,
    host,
    bodyLimitBytes,
    demoMode: overrides.demoMode ?? parseFlag(env.HEADROOM_DEMO),
    allowPrivateWebhookUrls:
      overrides.allowPrivateWebhookUrls ?? parseFlag(env.HEADROOM_ALLOW_PRIVATE_WEBHOOKS),
    webDistDir: overrides.webDistDir === undefined ? null : overrides.webDistDir,
    demoSessionTtlSeconds,
    logRequests: overrides.logRequests ?? parseFlag(env.HEADROOM_LOG_REQUESTS),
    trustedEventRoles: overrides.trustedEventRoles ?? parseTrustedRoles(env.HEADROOM_TRUSTED_EVENT_ROLES),
  });
}

/** The audit key anchoring the hash chains of decisions and the ledger (docs/security.md). */
export interface AuditConfig {
  /** HEADROOM_AUDIT_KEY (at least auditKeyLengthMin characters); unset: the public development key. */
  readonly auditKey: AuditKey;
}

/** Reads and validates HEADROOM_AUDIT_KEY (the store's threads read the same variable by the same rule). */
export function loadAuditConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): AuditConfig {
  const text = env.HEADROOM_AUDIT_KEY;
  if (text !== undefined && text !== "" && text.length < auditKeyLengthMin) {
    throw new ConfigError(`HEADROOM_AUDIT_KEY must have at least ${auditKeyLengthMin} characters`);
  }
  return Object.freeze({ auditKey: auditKeyFromText(text) });
}
