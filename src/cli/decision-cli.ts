// Shared plumbing of the decision commands: the engine wired onto the --db store, and rejections printed
// in the CLI's error shape.

import { type DecisionWiring, openDecisionEngine } from "../app/index.js";
import { systemClock } from "../engine/index.js";
import type { Store } from "../store/index.js";

export async function engineOn(store: Store): Promise<DecisionWiring> {
  return openDecisionEngine(store.db, { clock: systemClock });
}
