// Fixtures for the policy suites: the shipped default policy and macro (data/policy), read, validated and
// compiled once, and the macro in each lifecycle stage.

import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import { unwrapOrThrow } from "../src/kernel/index.js";
import {
  type CompiledMacro,
  compileMacro,
  compilePolicy,
  type MacroDoc,
  validateMacro,
  validatePolicy,
} from "../src/policy/index.js";

const dataDir = resolve(import.meta.dirname, "..", "data", "policy");

/** A YAML document from data/policy, parsed but not validated. */
export const loadPolicyData = (name: string): unknown => parse(readFileSync(join(dataDir, name), "utf8"));

/** The shipped default policy, validated and compiled. */
export const defaultPolicy = compilePolicy(
  unwrapOrThrow(validatePolicy(loadPolicyData("default-policy.yaml"))),
);

/** The shipped default macro, validated (not compiled, so a test can vary it). */
export const defaultMacroDoc: MacroDoc = unwrapOrThrow(validateMacro(loadPolicyData("default-macro.yaml")));

/** The default macro compiled in the given lifecycle stage. */
export function macroInStage(stage: MacroDoc["lifecycle"]["stage"]): CompiledMacro {
  return compileMacro({ ...defaultMacroDoc, lifecycle: { ...defaultMacroDoc.lifecycle, stage } });
}
