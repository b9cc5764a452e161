// Event ingestion for `POST /v1/events`: each event validated on its own by src/events, only behaviour types
// accepted (lending events are the lending service's to write, so a caller cannot forge a limit change), the
// valid ones appended to the log in one batch, then decisions for the triggering types.

import type { DecisionEngine, EventLog } from "../engine/index.js";
import { type AnyEvent, type BehaviourEventType, parseEventLine } from "../events/index.js";
import type { Clock } from "../kernel/index.js";
import type { EventIngest } from "./context.js";

export const behaviourEventTypes: ReadonlySet<string> = new Set<BehaviourEventType>([
  "app.login",
  "payment.made",
  "product.purchased",
  "limit.queried",
  "credit.applied",
  "verification.completed",
  "bureau.reported",
  "reevaluation.requested",
]);

export function createEventIngest(log: EventLog, clock: Clock, decisions?: DecisionEngine): EventIngest {
  return {
    async ingest(items) {
      const rejected: { index: number; code: string; message: string }[] = [];
      const batch: AnyEvent[] = [];
      const indexOf: number[] = [];
      const nowMs = clock.nowMs();
      items.forEach((item, index) => {
        const parsed = parseEventLine(JSON.stringify(item) ?? "null", { nowMs });
        if (!parsed.ok) {
          rejected.push({ index, code: parsed.error.code, message: parsed.error.message });
        } else if (!behaviourEventTypes.has(parsed.value.type)) {
          rejected.push({
            index,
            code: "event_type_not_accepted",
            message: `${parsed.value.type} events are written by the lending service, not accepted over HTTP`,
          });
        } else {
          batch.push(parsed.value);
          indexOf.push(index);
        }
      });
      if (batch.length === 0) return { accepted: 0, duplicates: 0, rejected };
      const result = await log.append(batch);
      for (const r of result.refused) {
        rejected.push({
          index: indexOf[r.index] ?? -1,
          code: r.rejection.code,
          message: r.rejection.message,
        });
      }
      if (decisions) {
        const refused = new Set(result.refused.map((r) => r.index));
        for (const [i, event] of batch.entries()) {
          if (!refused.has(i)) await decisions.handleBehaviourEvent(event);
        }
      }
      rejected.sort((a, b) => a.index - b.index);
      return { accepted: result.accepted, duplicates: result.duplicates, rejected };
    },
  };
}
