// Event ingestion for `POST /v1/events`: each event validated on its own by src/events, then held against what
// its source may say (`checkEventSource`: lending types never, bureau reports and verifications only from the
// configured trusted roles), the valid ones appended to the log in one batch with their source recorded, then
// decisions for the triggering types. "In the future" is measured from the later of the wall clock and the end of
// the store's business date, so a demo or a back-dated store accepts events on its own today.

import { type DecisionEngine, type EventLog, eventsNowMs } from "../engine/index.js";
import {
  type AnyEvent,
  checkEventSource,
  type EventSource,
  type SourceRules,
  sourceText,
  validateEvent,
} from "../events/index.js";
import type { Clock } from "../kernel/index.js";
import type { EventIngest } from "./context.js";

/** Where the store's business date comes from (the lending service's `businessDate()`) and its zone. */
export interface BusinessDateSource {
  readonly businessDate: () => Promise<string | null>;
  readonly timeZone: string;
}

export function createEventIngest(
  log: EventLog,
  clock: Clock,
  decisions?: DecisionEngine,
  business?: BusinessDateSource,
): EventIngest {
  return {
    async ingest(items, source: EventSource, rules: SourceRules) {
      const rejected: { index: number; code: string; message: string }[] = [];
      const batch: AnyEvent[] = [];
      const indexOf: number[] = [];
      const nowMs = business
        ? eventsNowMs(clock.nowMs(), await business.businessDate(), business.timeZone)
        : clock.nowMs();
      items.forEach((item, index) => {
        const parsed = validateEvent(item, { nowMs });
        if (!parsed.ok) {
          rejected.push({ index, code: parsed.error.code, message: parsed.error.message });
          return;
        }
        const refusal = checkEventSource(parsed.value.type, source, rules);
        if (refusal !== null) {
          rejected.push({ index, code: refusal.code, message: refusal.message });
          return;
        }
        batch.push(parsed.value);
        indexOf.push(index);
      });
      if (batch.length === 0) return { accepted: 0, duplicates: 0, rejected };
      const result = await log.append(batch, sourceText(source));
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
