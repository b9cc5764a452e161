// `headroom audit <subcommand>`: the tamper evidence of decisions and the ledger (docs/security.md).
//   verify                  walks both hash chains and their anchors; exit 1 listing each violation, else 0
//   seal                    hashes and chains the rows written before the chains existed (once, after upgrading)
//   grant-app-role --role R grants PostgreSQL role R what the application needs and nothing that rewrites the
//                           append-only tables (run as the schema's owner after each migration; --print: the SQL)
// A subcommand registered on its own ("audit explanations") takes precedence: the CLI matches the longest words.
import { ConfigError, loadAuditConfig } from "../api/index.js";
import {
  type AuditReport,
  appRoleGrantSql,
  auditKeyInUse,
  grantAppRole,
  isRoleName,
  sealAuditChains,
  setAuditKey,
  verifyAuditChains,
} from "../store/index.js";
import type { Command, CommandContext } from "./commands.js";
import { runStoreCommand, UsageError, writeError, writeJson } from "./db-options.js";

const usage = "usage: headroom audit verify | seal | grant-app-role --role <name> [--print]";

const developmentKeyWarning =
  "headroom: warning: HEADROOM_AUDIT_KEY is not set, so the chains are anchored with the public development " +
  "key: anyone can rewrite a chain and its anchor consistently. Set a secret key of at least 32 characters.\n";

function renderReport(report: AuditReport): string {
  const heads = report.chains
    .map((c) => `${c.table} ${c.rows} row(s)${c.anchor?.sealed ? `, head seq ${c.anchor.seq}` : ""}`)
    .join("; ");
  const lines = [
    report.ok
      ? `audit chains verify: ${heads}`
      : `AUDIT CHAINS DO NOT VERIFY: ${report.violationCount} violation(s); ${heads}`,
  ];
  for (const v of report.violations) {
    const where = [v.table, v.seq === null ? null : `seq ${v.seq}`, v.id].filter((x) => x !== null).join(" ");
    lines.push(`  ${where}: ${v.kind}: ${v.message}`);
  }
  if (report.violations.length < report.violationCount) {
    lines.push(`  … and ${report.violationCount - report.violations.length} more`);
  }
  return lines.join("\n");
}

/** Sets this process's key from HEADROOM_AUDIT_KEY (a ConfigError when malformed); true for the development key. */
function configureKey(): boolean {
  const { auditKey } = loadAuditConfig();
  setAuditKey(auditKey);
  return auditKey.isDevelopmentKey;
}

const verify: Command = (ctx) =>
  runStoreCommand(ctx, {}, async ({ json, values, positionals, open }) => {
    if (positionals.length > 0) throw new UsageError(usage);
    const development = configureKey();
    const { store } = await open(values.db);
    const report = await verifyAuditChains(store.db);
    if (development) ctx.stderr.write(developmentKeyWarning);
    if (json) writeJson(ctx, report);
    else ctx.stdout.write(`${renderReport(report)}\n`);
    return report.ok ? 0 : 1;
  });

const seal: Command = (ctx) =>
  runStoreCommand(ctx, {}, async ({ json, values, positionals, open }) => {
    if (positionals.length > 0) throw new UsageError(usage);
    const development = configureKey();
    const { store } = await open(values.db);
    const sealed = await sealAuditChains(store.db, auditKeyInUse());
    if (development) ctx.stderr.write(developmentKeyWarning);
    if (json) writeJson(ctx, { sealed });
    else {
      ctx.stdout.write(
        `sealed: ${sealed.decisions} decision row(s), ${sealed.ledger_entries} ledger entr(ies) chained\n`,
      );
    }
    return 0;
  });

const grantRole: Command = (ctx) =>
  runStoreCommand(
    ctx,
    {
      role: { type: "string" },
      print: { type: "boolean", default: false },
    },
    async ({ json, values, positionals, open }) => {
      if (positionals.length > 0) throw new UsageError(usage);
      const role = values.role ?? "";
      if (!isRoleName(role))
        throw new UsageError("--role takes a plain lower-case identifier ([a-z_][a-z0-9_]*)");
      if (values.print) {
        ctx.stdout.write(appRoleGrantSql(role));
        return 0;
      }
      const { store } = await open(values.db);
      if (store.db.dialect !== "postgres") throw new UsageError("grant-app-role needs a PostgreSQL --db");
      await grantAppRole(store.db, role);
      if (json) writeJson(ctx, { role, granted: true });
      else ctx.stdout.write(`granted role ${role} the application's rights on ${store.db.location}\n`);
      return 0;
    },
  );

const subcommands: Readonly<Record<string, Command>> = { verify, seal, "grant-app-role": grantRole };

export const auditCommand: Command = async (ctx: CommandContext) => {
  const json = ctx.argv.includes("--json");
  const sub = subcommands[ctx.argv[0] ?? ""];
  if (sub === undefined) {
    writeError(ctx, json, "usage", usage);
    return 2;
  }
  try {
    // The subcommand reads the flags after its word.
    return await sub({ ...ctx, argv: ctx.argv.slice(1) });
  } catch (error) {
    if (error instanceof ConfigError) {
      writeError(ctx, json, error.code, error.message);
      return 2;
    }
    throw error;
  }
};
