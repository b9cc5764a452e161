// The storage form of a feature state decodes to exactly the state that was encoded.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { arbEventStream, zone } from "../../test/events-arbitraries.js";
import { emptyFeatureState, rebuildFeatures } from "../features/index.js";
import { decodeState, encodeState } from "./feature-state.js";

describe("feature state storage form", () => {
  it("round-trips any state, and packs zero counters away", () => {
    expect(decodeState(encodeState(emptyFeatureState()))).toEqual(emptyFeatureState());
    fc.assert(
      fc.property(arbEventStream(80), (events) => {
        const state = rebuildFeatures(events, zone);
        const encoded = encodeState(state);
        expect(decodeState(encoded)).toEqual(state);
        expect(encoded.length).toBeLessThanOrEqual(JSON.stringify(state).length);
      }),
      { numRuns: 100 },
    );
  });
});
