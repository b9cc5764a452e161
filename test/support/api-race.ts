// Drives API server processes (./api-race-child.ts) in a race: starts them, waits until each says "ready",
// releases them together with "go", and returns every answer. No sleeping: each step waits on the children.

import { expect } from "vitest";
import { collect, spawnTsx, waitForLine } from "./child-process.js";

export interface RaceRequest {
  readonly method: "GET" | "POST";
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly payload?: object;
}

export interface RaceChildArgs {
  /** The store both the test and the children open. */
  readonly url: string;
  /** The child's clock starts here and moves 1 ms per reading. */
  readonly nowMs: number;
  /** Sent concurrently, `times` times. */
  readonly request: RaceRequest;
  readonly times: number;
}

export interface RaceAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** One child per element of `children`, released together; their answers, child by child. */
export async function raceApiProcesses(children: readonly RaceChildArgs[]): Promise<RaceAnswer[]> {
  const spawned = children.map((args) => spawnTsx("test/support/api-race-child.ts", [JSON.stringify(args)]));
  await Promise.all(spawned.map((c) => waitForLine(c, "stdout", (l) => l === "ready")));
  const done = spawned.map((c) => collect(c));
  for (const c of spawned) c.stdin?.write("go\n");
  const results = await Promise.all(done);
  return results.flatMap((r) => {
    expect(r.code, r.stderr.slice(-2000)).toBe(0);
    return JSON.parse(r.stdout.trim().split("\n").at(-1) ?? "[]") as RaceAnswer[];
  });
}
