// Protected columns by name (whole tokens, any case convention), by declaration and by flag.
import { describe, expect, it } from "vitest";
import { nameTokens, protectedAttributeOf, protectedColumnsOf } from "./protected.js";

describe("nameTokens", () => {
  it("splits snake_case, kebab-case, camelCase, spaces and digits, lower-cased", () => {
    expect(nameTokens("applicant_age")).toEqual(["applicant", "age"]);
    expect(nameTokens("country-of-birth")).toEqual(["country", "of", "birth"]);
    expect(nameTokens("AgeYears")).toEqual(["age", "years"]);
    expect(nameTokens("applicantDOB")).toEqual(["applicant", "dob"]);
    expect(nameTokens("DOBDate")).toEqual(["dob", "date"]);
    expect(nameTokens("Marital Status")).toEqual(["marital", "status"]);
    expect(nameTokens("age2")).toEqual(["age", "2"]);
  });
});

describe("protectedAttributeOf", () => {
  it.each([
    ["age", "age"],
    ["applicant_age", "age"],
    ["AgeYears", "age"],
    ["age_at_application", "age"],
    ["dob", "age"],
    ["date_of_birth", "age"],
    ["DateOfBirth", "age"],
    ["sex", "sex"],
    ["gender", "sex"],
    ["Gender", "sex"],
    ["marital_status", "marital_status"],
    ["maritalStatus", "marital_status"],
    ["religion", "religion"],
    ["ethnicity", "ethnicity"],
    ["race", "ethnicity"],
    ["nationality", "origin"],
    ["citizenship", "origin"],
    ["country_of_birth", "origin"],
    ["place-of-origin", "origin"],
    ["foreign_worker", "origin"],
    ["isForeignWorker", "origin"],
  ])("%s stands for %s", (name, attribute) => {
    expect(protectedAttributeOf(name)).toBe(attribute);
  });

  it.each([
    "usage",
    "mortgage",
    "page_views",
    "average_balance",
    "trace_id",
    "percentage",
    "grade",
    "storage",
    "foreign_currency_spend",
    "national_id_checked",
    "account_age",
    "credit_history_age",
    "age_of_oldest_account",
    "duration",
    "",
  ])("%s stands for nothing protected", (name) => {
    expect(protectedAttributeOf(name)).toBeNull();
  });
});

describe("protectedColumnsOf", () => {
  const header = ["duration", "personal_status", "age", "housing", "foreign_worker", "class"];

  it("finds columns by name alone, in header order", () => {
    expect(protectedColumnsOf(header, [], [])).toEqual([
      { column: "personal_status", why: "name" },
      { column: "age", why: "name" },
      { column: "foreign_worker", why: "name" },
    ]);
  });

  it("adds declared and flagged columns; the explicit reason wins over the name", () => {
    expect(protectedColumnsOf(header, ["age", "personal_status"], ["housing", "age"])).toEqual([
      { column: "personal_status", why: "declared" },
      { column: "age", why: "declared" },
      { column: "housing", why: "flag" },
      { column: "foreign_worker", why: "name" },
    ]);
  });

  it("ignores declared or added names the header lacks (the caller refuses them)", () => {
    expect(protectedColumnsOf(["duration"], ["nosuch"], ["other"])).toEqual([]);
  });
});
