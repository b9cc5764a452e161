// The feature ids a behaviour rule may test (DESIGN.md, "Feature ids"); a rule naming anything else is refused.
import { featureIds } from "../features/index.js";

export const knownFeatureIds: ReadonlySet<string> = new Set(featureIds);
