import { describe, expect, it } from "vitest";
import { createRng } from "./index.js";

describe("seeded rng", () => {
  it("gives the same sequence for the same seed and another for another seed", () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const seqA = Array.from({ length: 16 }, () => a.nextUint32());
    const seqB = Array.from({ length: 16 }, () => b.nextUint32());
    const seqC = Array.from({ length: 16 }, () => c.nextUint32());
    expect(seqA).toEqual(seqB);
    expect(seqA).not.toEqual(seqC);
  });

  it("draws uniform floats in [0, 1) with a mean near one half", () => {
    const rng = createRng("uniform");
    let total = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = rng.next();
      expect(x >= 0 && x < 1).toBe(true);
      total += x;
    }
    expect(Math.abs(total / 100_000 - 0.5)).toBeLessThan(0.01);
  });

  it("forks independent, reproducible streams", () => {
    expect(createRng(7).fork("sim").nextUint32()).toBe(createRng(7).fork("sim").nextUint32());
    expect(createRng(7).fork("sim").nextUint32()).not.toBe(createRng(7).fork("other").nextUint32());
  });
});
