// The simulation's writer thread: opens its own connection to the database and writes the day batches the
// simulating thread sends, in order, through the SQL sink (messages { id, batch } → { id } or { id, error }).

import { parentPort, workerData } from "node:worker_threads";
import { openStore } from "../store/index.js";
import { type DayBatch, sqlSink } from "./sink.js";

interface WriterInit {
  readonly location: string;
  readonly timeZone: string;
}

const port = parentPort;
if (port === null) throw new Error("sink-worker runs as a worker thread");
const init = workerData as WriterInit;
const store = await openStore(init.location, { migrate: false });
const sink = sqlSink(store, init.timeZone);
let tail: Promise<unknown> = Promise.resolve();

port.on("message", (message: { id: number; batch: string } | { close: true }) => {
  if ("close" in message) {
    tail = tail.then(() => store.close()).then(() => port.close());
    return;
  }
  tail = tail.then(() =>
    sink.writeDay(JSON.parse(message.batch) as DayBatch).then(
      () => port.postMessage({ id: message.id }),
      (error: unknown) =>
        port.postMessage({
          id: message.id,
          error: { message: (error as Error).message ?? String(error), stack: (error as Error).stack ?? "" },
        }),
    ),
  );
});
port.postMessage({ ready: true });
