// The catalogue: both languages carry every key with the same placeholders; the language choice follows the
// browser's preference order.

import { describe, expect, it } from "vitest";
import { catalogues, type MessageKey, preferredLang, translate } from "./i18n.js";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("catalogue", () => {
  it("has the same keys and placeholders in en and zh-CN", () => {
    const keys = Object.keys(catalogues.en) as MessageKey[];
    expect(Object.keys(catalogues["zh-CN"]).sort()).toEqual([...keys].sort());
    for (const key of keys) {
      expect(placeholders(catalogues["zh-CN"][key]), key).toEqual(placeholders(catalogues.en[key]));
      expect(catalogues["zh-CN"][key].length, key).toBeGreaterThan(0);
    }
  });

  it("fills placeholders and leaves unknown ones visible", () => {
    expect(translate("en", "planProgress", { done: 1, total: 3 })).toBe("1 of 3 steps done");
    expect(translate("zh-CN", "planProgress", { done: 1, total: 3 })).toBe("已完成 1/3 步");
    expect(translate("en", "planProgress", { done: 1 })).toBe("1 of {total} steps done");
  });
});

describe("preferredLang", () => {
  it("picks the first of zh or en in preference order", () => {
    expect(preferredLang(["zh-TW", "en-US"])).toBe("zh-CN");
    expect(preferredLang(["fr-FR", "en-GB", "zh-CN"])).toBe("en");
    expect(preferredLang(["de-DE"])).toBe("en");
    expect(preferredLang([])).toBe("en");
    expect(preferredLang(["ZH"])).toBe("zh-CN");
  });
});
