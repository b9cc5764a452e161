// Registry commands: `headroom model register <model.json|model.pmml> [--activate]`, `headroom model
// activate <modelId>`, `headroom policy publish <file> [--weight n]` (publishes its announcement; without
// --weight the version becomes the only arm, with it a challenger), `headroom macro set <file>`.
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { type RegistryRejection, RegistryService, systemClock } from "../engine/index.js";
import { contentHashOf, fromPmml, type Scorecard } from "../scoring/index.js";
import { createRegistryStore, type Store } from "../store/index.js";
import type { Command, CommandContext } from "./commands.js";
import { numberArg, printResult, runStoreCommand, UsageError } from "./db-options.js";

function registryOn(store: Store): RegistryService {
  return new RegistryService(createRegistryStore(store.db), () => systemClock.nowMs());
}

function readText(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
}

/** YAML or JSON (JSON is YAML). */
function readDocument(file: string): unknown {
  try {
    return parseYaml(readText(file)) as unknown;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${file} is not YAML or JSON: ${(error as Error).message}`);
  }
}

function printRegistry<T>(
  ctx: CommandContext,
  json: boolean,
  result: { ok: true; value: T } | { ok: false; error: RegistryRejection },
  human: (value: T) => string,
): number {
  if (!result.ok && "problems" in result.error && !json) {
    ctx.stderr.write(`headroom: ${result.error.code}: ${result.error.message}\n`);
    for (const p of result.error.problems) ctx.stderr.write(`  ${p.path}: ${p.message}\n`);
    return 1;
  }
  return printResult(ctx, json, result, human);
}

export const modelRegisterCommand: Command = (ctx) =>
  runStoreCommand(
    ctx,
    {
      activate: { type: "boolean", default: false },
    },
    async ({ json, values, positionals, open }) => {
      const file = positionals[0];
      if (!file || positionals.length > 1) {
        throw new UsageError("usage: headroom model register <model.json|model.pmml> [--activate]");
      }
      const text = readText(file);
      let model: Scorecard;
      const pmml = /\.pmml$|\.xml$/i.test(file) || text.trimStart().startsWith("<");
      if (pmml) {
        const parsed = fromPmml(text);
        if (!parsed.ok) return printResult(ctx, json, { ok: false, error: parsed.error }, () => "");
        model = parsed.value;
      } else {
        try {
          model = JSON.parse(text) as Scorecard;
        } catch (error) {
          throw new UsageError(`${file} is not JSON: ${(error as Error).message}`);
        }
        if (typeof model?.contentHash === "string" && contentHashOf(model) !== model.contentHash) {
          return printResult(
            ctx,
            json,
            {
              ok: false,
              error: {
                code: "model_hash_mismatch",
                message: `${file}: contentHash does not match its content`,
              },
            },
            () => "",
          );
        }
      }
      const { store } = await open(values.db);
      const result = await registryOn(store).registerModel(model, {
        format: pmml ? "pmml" : "json",
        activate: values.activate,
      });
      return printRegistry(
        ctx,
        json,
        result.ok ? { ok: true, value: { ...result.value, active: values.activate } } : result,
        (v) =>
          `model ${v.modelId} (${v.contentHash.slice(0, 12)}) ${v.created ? "registered" : "already registered"}${v.active ? ", active" : ""}`,
      );
    },
  );

export const modelActivateCommand: Command = (ctx) =>
  runStoreCommand(ctx, {}, async ({ json, values, positionals, open }) => {
    const modelId = positionals[0];
    if (!modelId || positionals.length > 1) throw new UsageError("usage: headroom model activate <modelId>");
    const { store } = await open(values.db);
    const result = await registryOn(store).activateModel(modelId);
    return printRegistry(ctx, json, result, (v) => `model ${v.modelId} is active`);
  });

export const policyPublishCommand: Command = (ctx) =>
  runStoreCommand(
    ctx,
    {
      weight: { type: "string" },
    },
    async ({ json, values, positionals, open }) => {
      const file = positionals[0];
      if (!file || positionals.length > 1)
        throw new UsageError("usage: headroom policy publish <file> [--weight n]");
      const document = readDocument(file);
      const { store } = await open(values.db);
      const registry = registryOn(store);
      const result = await registry.publishPolicy(
        document,
        values.weight === undefined ? {} : { weight: numberArg(values.weight) },
      );
      const arms = result.ok ? await registry.activeArms() : [];
      return printRegistry(
        ctx,
        json,
        result.ok ? { ok: true, value: { ...result.value, arms } } : result,
        (v) =>
          `policy ${v.subject}@${v.version} ${v.created ? "published" : "already published"}, announcement ${v.announcementId}; ` +
          `arms: ${v.arms.map((a) => `${a.policyId}@${a.version}×${a.weight}`).join(", ")}`,
      );
    },
  );

export const macroSetCommand: Command = (ctx) =>
  runStoreCommand(ctx, {}, async ({ json, values, positionals, open }) => {
    const file = positionals[0];
    if (!file || positionals.length > 1) throw new UsageError("usage: headroom macro set <file>");
    const document = readDocument(file);
    const { store } = await open(values.db);
    const result = await registryOn(store).setMacro(document);
    return printRegistry(
      ctx,
      json,
      result,
      (v) =>
        `macro ${v.subject}@${v.version} ${v.created ? "set" : "already set"}, announcement ${v.announcementId}`,
    );
  });
