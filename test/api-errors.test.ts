// The error table: closed, complete over the domains' codes, rendered into docs/errors.md, StoreError known by
// its class; and the codes once answered wrongly (a registry version conflict was a 422 under another code).

import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ApiError,
  errorStatus,
  errorTable,
  fromRejection,
  retiredErrorCodes,
  toErrorResponse,
} from "../src/api/errors.js";
import { renderErrorsDoc } from "../src/api/errors-doc.js";
import { lendingErrorCodes } from "../src/lending/index.js";
import { StoreError } from "../src/store/index.js";
import { type ApiFixture, bearer, startApi } from "./api-fixture.js";

describe("the error table", () => {
  it("is what docs/errors.md says (run `npm run docs:errors` after changing it)", () => {
    const doc = readFileSync(new URL("../docs/errors.md", import.meta.url), "utf8");
    expect(doc).toBe(renderErrorsDoc());
  });

  it("has a row for every lending rejection code, and none for a retired code", () => {
    for (const { code } of lendingErrorCodes) expect(Object.keys(errorTable)).toContain(code);
    for (const code of Object.keys(retiredErrorCodes)) expect(Object.keys(errorTable)).not.toContain(code);
  });

  it("gives every code a status, an ApiError the table's status, and bad input never a 5xx", () => {
    for (const [code, entry] of Object.entries(errorTable)) {
      expect(errorStatus[code as keyof typeof errorStatus]).toBe(entry.status);
      expect(new ApiError(code as keyof typeof errorTable, "m").statusCode).toBe(entry.status);
      expect(entry.meaning.length, code).toBeGreaterThan(0);
      expect(entry.meaning, code).not.toContain("\n");
    }
    expect(fromRejection({ code: "line_delinquent", message: "m", lineId: "L" })).toMatchObject({
      statusCode: 422,
      details: { lineId: "L" },
    });
  });

  it("knows a StoreError by its class, not by an error that calls itself one", () => {
    const real = toErrorResponse(new StoreError("store_busy", "locked"));
    expect(real.status).toBe(503);
    expect(real.body.error.code).toBe("store_busy");
    const impostor = Object.assign(new Error("x"), { name: "StoreError", code: "store_busy" });
    const other = toErrorResponse(impostor);
    expect(other.status).toBe(500);
    expect(other.body.error.code).toBe("internal_error");
  });
});

describe("registry version conflicts", () => {
  let f: ApiFixture;
  beforeAll(async () => {
    f = await startApi("sqlite", {}, "errors");
  });
  afterAll(async () => {
    await f?.close();
  });
  const op = () => bearer(f.keys.operator);
  const text = (path: string) => readFileSync(new URL(`../data/${path}`, import.meta.url), "utf8");

  it("answers a policy version published with another document 409 policy_version_exists", async () => {
    const yaml = text("policy/default-policy.yaml").replace("（第 1 版）", "（第一版）");
    const r = await f.app.inject({ method: "POST", url: "/v1/policies", headers: op(), payload: { yaml } });
    expect(r.statusCode, r.body).toBe(409);
    expect(r.json().error.code).toBe("policy_version_exists");
  });

  it("answers a model id registered with another artefact 409 model_exists", async () => {
    const model = JSON.parse(text("models/behaviour-default.json")) as { contentHash: string };
    model.contentHash = "0".repeat(64);
    const r = await f.app.inject({ method: "POST", url: "/v1/models", headers: op(), payload: model });
    expect(r.statusCode, r.body).toBe(409);
    expect(r.json().error.code).toBe("model_exists");
  });

  it("answers a macro version published with another document 409 version_conflict", async () => {
    const yaml = text("policy/default-macro.yaml").replace(
      "Platform lending conditions",
      "Platform conditions",
    );
    const r = await f.app.inject({ method: "PUT", url: "/v1/macro", headers: op(), payload: { yaml } });
    expect(r.statusCode, r.body).toBe(409);
    expect(r.json().error.code).toBe("version_conflict");
  });
});
