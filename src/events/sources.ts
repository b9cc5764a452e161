// Who may say what: event identity and event sources. Ids under `reservedEventIdPrefix` are written only by the
// engine itself (lending, and the record of a borrower's re-evaluation request), so a posted or imported event can
// never take an id the engine will use. Each stored event records its source; the source's kind decides which
// types it may send (pure rules here, the shell supplies the source and the configured trusted roles).

import type { EventType, LendingEventType } from "./types.js";

/** Event ids the engine writes; refused (`invalid_event_id`) on every event that comes from outside. */
export const reservedEventIdPrefix = "sys:";

export function isReservedEventId(eventId: string): boolean {
  return eventId.startsWith(reservedEventIdPrefix);
}

/** An engine-written event's id: the reserved prefix, then a suffix unique within the engine's own events. */
export function systemEventId(suffix: string): string {
  return `${reservedEventIdPrefix}${suffix}`;
}

/** The API roles that may hold a key. */
export type SourceRole = "borrower" | "integration" | "operator" | "admin";

/**
 * Where an event came from: an API key (its role and id), a file import by someone with access to the store,
 * the lending service, the engine's own records (a re-evaluation request), or the simulator.
 */
export type EventSource =
  | { readonly kind: "key"; readonly role: SourceRole; readonly keyId: string }
  | { readonly kind: "import"; readonly lendingHistory: boolean }
  | { readonly kind: "lending" }
  | { readonly kind: "engine" }
  | { readonly kind: "sim" };

/** The stored form of a source: `<role>:<keyId>`, `import`, `lending`, `engine` or `sim`. */
export function sourceText(source: EventSource): string {
  return source.kind === "key" ? `${source.role}:${source.keyId}` : source.kind;
}

/** Every lending type, once (the Record makes the compiler check the list is complete). */
const lendingTypeFlags: Readonly<Record<LendingEventType, true>> = {
  "line.opened": true,
  "limit.changed": true,
  "line.frozen": true,
  "line.unfrozen": true,
  "line.closed": true,
  "drawdown.made": true,
  "repayment.received": true,
  "repayment.settled": true,
  "overdue.cured": true,
  "autodebit.failed": true,
  "instalment.due": true,
  "instalment.overdue": true,
};

/** The types only the lending service writes. */
export const lendingEventTypes: ReadonlySet<EventType> = new Set<EventType>(
  Object.keys(lendingTypeFlags) as LendingEventType[],
);

/** Behaviour types that move limit inputs directly (income, debt, identity): only trusted sources send them. */
export const trustedEventTypes: ReadonlySet<EventType> = new Set<EventType>([
  "bureau.reported",
  "verification.completed",
]);

/** Roles trusted with `trustedEventTypes` when the configuration names none. */
export const trustedRolesDefault: readonly SourceRole[] = ["integration", "operator", "admin"];

export interface SourceRules {
  /** Key roles allowed to send bureau reports and verifications. */
  readonly trustedRoles: ReadonlySet<SourceRole>;
}

export type SourceRefusalCode = "event_type_not_accepted" | "event_source_not_allowed";

export interface SourceRefusal {
  readonly code: SourceRefusalCode;
  readonly message: string;
}

/** Whether `source` may send an event of `type`; null when it may, else the refusal. */
export function checkEventSource(
  type: EventType,
  source: EventSource,
  rules: SourceRules,
): SourceRefusal | null {
  if (lendingEventTypes.has(type)) {
    if (source.kind === "lending" || source.kind === "sim") return null;
    if (source.kind === "import" && source.lendingHistory) return null;
    return {
      code: "event_type_not_accepted",
      message:
        source.kind === "import"
          ? `${type} events are written by the lending service; import a book's lending history with --lending-history`
          : `${type} events are written by the lending service, not accepted from ${sourceText(source)}`,
    };
  }
  switch (source.kind) {
    case "import":
    case "engine":
    case "sim":
      return null;
    case "lending":
      return { code: "event_type_not_accepted", message: `the lending service does not send ${type} events` };
    case "key":
      if (source.role === "borrower") {
        return {
          code: "event_source_not_allowed",
          message: "behaviour events come from the lender's systems",
        };
      }
      if (trustedEventTypes.has(type) && !rules.trustedRoles.has(source.role)) {
        return {
          code: "event_source_not_allowed",
          message: `${type} events are accepted only from ${[...rules.trustedRoles].join(", ") || "no"} keys`,
        };
      }
      return null;
  }
}
