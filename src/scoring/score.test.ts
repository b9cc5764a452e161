import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { binOf, locateBin } from "./score.js";
import type { Scorecard } from "./types.js";

const load = (name: string): Scorecard =>
  JSON.parse(readFileSync(new URL(`../../data/models/${name}`, import.meta.url), "utf8"));
// A numeric scorecard and one with categorical characteristics.
const characteristics = [
  ...load("default-behaviour.json").characteristics,
  ...load("german-credit.json").characteristics,
];

const valueArb = fc.oneof(
  fc.double(),
  fc.integer({ min: -1000, max: 1000 }),
  fc.constantFrom(null, undefined, "", " ", "12", "abc", Number.NaN, Number.POSITIVE_INFINITY),
  fc.string(),
);

describe("binOf", () => {
  it("is the bin locateBin finds", () => {
    fc.assert(
      fc.property(fc.constantFrom(...characteristics), valueArb, (c, value) => {
        expect(binOf(c, value)).toBe(locateBin(c, value).bin);
      }),
      { numRuns: 3000 },
    );
  });
});
