// `headroom features <customerId> [--at YYYY-MM-DD]`: the customer's feature vector as of a business date,
// `{ customerId, asOf, features }`. Exact for any date: a date before the state's latest day is rebuilt from
// the log through that date.
import { latenessMaxMsDefault, systemClock } from "../engine/index.js";
import type { AnyEvent } from "../events/index.js";
import {
  applyEvents,
  emptyFeatureState,
  featureDefinitions,
  featureIds,
  featuresAt,
} from "../features/index.js";
import { defaultProduct } from "../lending/index.js";
import { createEventLog } from "../store/index.js";
import { businessDateOfInstant, formatDate, parseDate } from "../time/index.js";
import type { Command } from "./commands.js";
import { runStoreCommand, UsageError, writeJson } from "./db-options.js";

/** Events read per page when rebuilding as of an earlier date. */
const rebuildPageEvents = 10_000;

export const featuresCommand: Command = (ctx) =>
  runStoreCommand(ctx, { at: { type: "string" } }, async ({ json, values, positionals, open }) => {
    const customerId = positionals[0];
    if (customerId === undefined || positionals.length > 1) {
      throw new UsageError("usage: headroom features <customerId> [--at YYYY-MM-DD]");
    }
    const zone = defaultProduct.timeZone;
    let asOf = businessDateOfInstant(systemClock.nowMs(), zone);
    if (values.at !== undefined) {
      const parsed = parseDate(values.at);
      if (!parsed.ok) throw new UsageError(`--at: ${parsed.error.message}`);
      asOf = parsed.value;
    }
    const { store } = await open(values.db);
    const log = createEventLog(store.db, { timeZone: zone, latenessMaxMs: latenessMaxMsDefault });
    const stored = await log.loadFeatureState(customerId);
    let state = stored.state;
    if (state.lastDay !== null && asOf < state.lastDay) {
      state = emptyFeatureState();
      for (let offset = 0; ; offset += rebuildPageEvents) {
        const page: AnyEvent[] = await log.readCustomerEvents(customerId, {
          throughDate: asOf,
          limit: rebuildPageEvents,
          offset,
        });
        state = applyEvents(state, page, zone);
        if (page.length < rebuildPageEvents) break;
      }
    }
    const features = featuresAt(state, asOf);
    const output = { customerId, asOf: formatDate(asOf), features };
    if (json) {
      writeJson(ctx, output);
      return 0;
    }
    ctx.stdout.write(`${customerId} as of ${output.asOf} (${stored.eventCount} events logged)\n`);
    const width = Math.max(...featureIds.map((id) => id.length));
    for (const id of featureIds) {
      const value = features[id];
      const shown = value === null ? "—" : Number.isInteger(value) ? String(value) : value.toFixed(4);
      ctx.stdout.write(
        `  ${id.padEnd(width)}  ${shown.padStart(12)}  ${featureDefinitions[id].description.en}\n`,
      );
    }
    return 0;
  });
