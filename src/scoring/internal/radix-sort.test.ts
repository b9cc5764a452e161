import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sortFloat64 } from "./radix-sort.js";

describe("radix sort of float64", () => {
  it("orders like a numeric sort, with negatives, zeros, infinities and subnormals", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true }), { maxLength: 300 }), (values) => {
        const input = Float64Array.from(values);
        const copy = Float64Array.from(values);
        const expected = Float64Array.from(values).sort();
        const sorted = sortFloat64(input);
        expect(Array.from(sorted).map((v) => (v === 0 ? 0 : v))).toEqual(
          Array.from(expected).map((v) => (v === 0 ? 0 : v)),
        );
        expect(input).toEqual(copy);
      }),
    );
    expect(Array.from(sortFloat64(Float64Array.from([3, -0, Infinity, -Infinity, 5e-324, -2, 0])))).toEqual([
      -Infinity,
      -2,
      -0,
      0,
      5e-324,
      3,
      Infinity,
    ]);
  });
});
