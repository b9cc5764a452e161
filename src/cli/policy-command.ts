// `headroom policy validate <file>`: checks a policy or macro document (YAML or JSON). Exit 0 with a summary,
// 1 listing every problem with its path, 2 on usage errors. The document kind is told by its keys.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { parse } from "yaml";
import { type PolicyProblem, validateMacro, validatePolicy } from "../policy/index.js";

type Summary =
  | { kind: "policy"; id: string; version: number; effectiveFrom: string; bands: string[]; rules: number }
  | { kind: "macro"; id: string; version: number; effectiveFrom: string; stage: string; profitTest: boolean };

function check(doc: unknown): { ok: true; summary: Summary } | { ok: false; problems: PolicyProblem[] } {
  const isMacro = typeof doc === "object" && doc !== null && "riskAppetite" in doc && !("bands" in doc);
  if (isMacro) {
    const m = validateMacro(doc);
    if (!m.ok) return { ok: false, problems: m.error };
    const v = m.value;
    return {
      ok: true,
      summary: {
        kind: "macro",
        id: v.id,
        version: v.version,
        effectiveFrom: v.effectiveFrom,
        stage: v.lifecycle.stage,
        profitTest: v.profitTest.enabled,
      },
    };
  }
  const p = validatePolicy(doc);
  if (!p.ok) return { ok: false, problems: p.error };
  const v = p.value;
  return {
    ok: true,
    summary: {
      kind: "policy",
      id: v.id,
      version: v.version,
      effectiveFrom: v.effectiveFrom,
      bands: v.bands.map((b) => b.id),
      rules: v.behaviourRules.length,
    },
  };
}

/** The command's context, structurally (importing commands.ts from here would close an import cycle). */
interface PolicyContext {
  readonly argv: readonly string[];
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

export const policyValidateCommand = async (ctx: PolicyContext): Promise<number> => {
  let parsed: ReturnType<
    typeof parseArgs<{ options: { json: { type: "boolean" } }; allowPositionals: true }>
  >;
  try {
    parsed = parseArgs({
      args: [...ctx.argv],
      options: { json: { type: "boolean" } },
      allowPositionals: true,
    });
  } catch (e) {
    ctx.stderr.write(`headroom policy validate: ${(e as Error).message}\n`);
    return 2;
  }
  const file = parsed.positionals[0];
  if (file === undefined || parsed.positionals.length > 1) {
    ctx.stderr.write("usage: headroom policy validate <file.yaml|file.json> [--json]\n");
    return 2;
  }
  const json = parsed.values.json === true;
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, "utf8"));
  } catch (e) {
    const problems: PolicyProblem[] = [{ code: "schema", path: "/", message: (e as Error).message }];
    ctx[json ? "stdout" : "stderr"].write(
      json
        ? `${JSON.stringify({ ok: false, file, problems })}\n`
        : `${file}: cannot read: ${problems[0]!.message}\n`,
    );
    return 1;
  }
  const result = check(doc);
  if (json) {
    ctx.stdout.write(
      `${JSON.stringify(result.ok ? { ok: true, file, ...result.summary } : { ok: false, file, problems: result.problems })}\n`,
    );
    return result.ok ? 0 : 1;
  }
  if (!result.ok) {
    ctx.stderr.write(`${file}: ${result.problems.length} problem(s)\n`);
    for (const p of result.problems) ctx.stderr.write(`  ${p.path}  ${p.code}: ${p.message}\n`);
    return 1;
  }
  const s = result.summary;
  ctx.stdout.write(
    s.kind === "policy"
      ? `${file}: valid policy ${s.id} v${s.version}, effective ${s.effectiveFrom}; bands ${s.bands.join(" < ")}; ${s.rules} behaviour rules\n`
      : `${file}: valid macro ${s.id} v${s.version}, effective ${s.effectiveFrom}; lifecycle ${s.stage}; profit test ${s.profitTest ? "on" : "off"}\n`,
  );
  return 0;
};
