// A review worker thread (started by the store's review pool on this module), in one of two roles. `compute`: opens its own connections to the database, then loads,
// computes and commits the partitions the main thread sends (messages { id, task } → { id, result } or
// { id, error }); on SQLite its commits never checkpoint, the pool's `checkpoint` thread does that: PASSIVE
// checkpoints from a connection of its own until the pool raises the shared stop flag.

import { parentPort, workerData } from "node:worker_threads";
import { RegistryService, ReviewResolver, type ReviewTask, runReviewTask } from "../engine/index.js";
import {
  createRegistryStore,
  createReviewStore,
  openSqliteDb,
  openStore,
  partitionLoader,
  type ReviewWorkerInit,
  runWalCheckpointer,
} from "../store/index.js";

/** Page cache of a computing connection (KiB): a partition's commit dirties a few thousand pages. */
const computeCacheKib = 32 * 1024;

const port = parentPort;
if (port === null) throw new Error("review-worker runs as a worker thread");
const init = workerData as ReviewWorkerInit;

if (init.role === "checkpoint") {
  port.postMessage({ ready: true });
  runWalCheckpointer(init.path, new Int32Array(init.stop), init.intervalMs);
  port.close();
} else {
  const store = await openStore(init.location, { migrate: false });
  // On a serial writer (SQLite) a partition commits over a second connection that yields while another thread
  // holds the write lock: this thread then loads and computes its next partition instead of sleeping inside
  // SQLite. Its commits never checkpoint (the checkpoint thread does).
  const writer = store.db.sql.serialWriter
    ? openSqliteDb(store.db.location, { lockWait: "yield" })
    : store.db;
  const cacheSize = store.db.sql.cacheSize(computeCacheKib);
  if (cacheSize !== null) await store.db.read((tx) => tx.exec(cacheSize));
  if (writer !== store.db) {
    await writer.transaction((tx) => tx.exec(`PRAGMA wal_autocheckpoint = 0; ${cacheSize ?? ""}`));
  }
  // The registry is only read here; publishing (which reads the clock) never happens in a worker.
  const registry = new RegistryService(createRegistryStore(store.db), () => 0);
  const resolver = new ReviewResolver(registry);
  const reviews = createReviewStore(writer, init.product.timeZone);
  const load = partitionLoader(store.db);

  port.on("message", (message: { id: number; task: ReviewTask } | { close: true }) => {
    if ("close" in message) {
      void Promise.all([store.close(), writer === store.db ? null : writer.close()]).then(() => port.close());
      return;
    }
    runReviewTask(message.task, { load, resolver, registry, product: init.product, reviews }).then(
      (result) => port.postMessage({ id: message.id, result }),
      (error: unknown) =>
        port.postMessage({
          id: message.id,
          error: { message: (error as Error).message ?? String(error), stack: (error as Error).stack ?? "" },
        }),
    );
  });
  port.postMessage({ ready: true });
}
