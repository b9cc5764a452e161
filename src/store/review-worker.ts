// A review worker thread: opens its own connection to the database, then loads and computes the partitions
// the main thread sends (messages { id, task } → { id, result } or { id, error }). It never writes.

import { parentPort, workerData } from "node:worker_threads";
import { RegistryService, type ReviewTask } from "../engine/index.js";
import type { Product } from "../lending/index.js";
import { openStore } from "./open-store.js";
import { createRegistryStore } from "./registry-store.js";
import { ReviewResolver, runReviewTask } from "./review-tasks.js";

interface WorkerInit {
  readonly location: string;
  readonly product: Product;
}

const port = parentPort;
if (port === null) throw new Error("review-worker runs as a worker thread");
const init = workerData as WorkerInit;
const store = await openStore(init.location, { migrate: false });
// The registry is only read here; publishing (which reads the clock) never happens in a worker.
const registry = new RegistryService(createRegistryStore(store.db), () => 0);
const resolver = new ReviewResolver(registry);

port.on("message", (message: { id: number; task: ReviewTask } | { close: true }) => {
  if ("close" in message) {
    void store.close().then(() => port.close());
    return;
  }
  runReviewTask(store.db, resolver, registry, init.product, message.task).then(
    (result) => port.postMessage({ id: message.id, result }),
    (error: unknown) =>
      port.postMessage({
        id: message.id,
        error: { message: (error as Error).message ?? String(error), stack: (error as Error).stack ?? "" },
      }),
  );
});
port.postMessage({ ready: true });
