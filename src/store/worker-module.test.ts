import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { builtWorkerModule } from "./worker-module.js";

const source = new URL("../app/review-worker.ts", import.meta.url);
const input = "src/app/review-worker.ts";
const dirs: string[] = [];

function buildDir(hash: string): string {
  const dir = mkdtempSync(join(tmpdir(), "headroom-workers-"));
  dirs.push(dir);
  writeFileSync(join(dir, "review-worker.mjs"), "export {};\n");
  writeFileSync(
    join(dir, "manifest.json"),
    JSON.stringify({ [input]: { module: "review-worker.mjs", inputs: { [input]: hash } } }),
  );
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("built worker modules", () => {
  it("starts a thread on the built module while its sources are the ones it was built from", () => {
    const hash = createHash("sha256")
      .update(readFileSync(fileURLToPath(source)))
      .digest("hex");
    const dir = buildDir(hash);
    expect(builtWorkerModule(source, dir)?.pathname).toBe(join(dir, "review-worker.mjs"));
  });

  it("falls back to the source when a source changed since the build", () => {
    expect(builtWorkerModule(source, buildDir("0".repeat(64)))).toBeNull();
  });

  it("falls back to the source when there is no build", () => {
    expect(builtWorkerModule(source, join(tmpdir(), "headroom-no-such-build"))).toBeNull();
  });
});
