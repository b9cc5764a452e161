// The command table: each command lives in its own module, loaded only when it runs.

export interface CommandContext {
  /** Arguments after the command words. */
  readonly argv: readonly string[];
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

/** A command returns its process exit code. */
export type Command = (ctx: CommandContext) => Promise<number>;

export interface CommandEntry {
  /** The command words, e.g. "events import". */
  readonly name: string;
  readonly summary: string;
  readonly load: () => Promise<Command>;
}

export const commands: readonly CommandEntry[] = [
  {
    name: "schedule",
    summary: "print a drawdown's repayment schedule: --principal --term --method --daily-rate-ppm --start",
    load: async () => (await import("./schedule-command.js")).scheduleCommand,
  },
  {
    name: "line open",
    summary: "open a credit line: --customer <id> --limit <minor> [--line <id>] [--date D]",
    load: async () => (await import("./line-open-command.js")).lineOpenCommand,
  },
  {
    name: "line draw",
    summary: "draw down: <lineId> --amount <minor> --term <n> --method <m> [--key <k>]",
    load: async () => (await import("./line-draw-command.js")).lineDrawCommand,
  },
  {
    name: "line repay",
    summary: "repay: <lineId> --amount <minor> [--key <k>]",
    load: async () => (await import("./line-repay-command.js")).lineRepayCommand,
  },
  {
    name: "line show",
    summary: "a line's state, schedules and balances: <lineId>",
    load: async () => (await import("./line-show-command.js")).lineShowCommand,
  },
  {
    name: "line ledger",
    summary: "a line's ledger entries and balances: <lineId>",
    load: async () => (await import("./line-ledger-command.js")).lineLedgerCommand,
  },
  {
    name: "eod",
    summary: "run end of day for every line: --through <YYYY-MM-DD>",
    load: async () => (await import("./line-eod-command.js")).eodCommand,
  },
  {
    name: "ledger verify",
    summary: "recompute every balance from the postings",
    load: async () => (await import("./line-verify-command.js")).ledgerVerifyCommand,
  },
  {
    name: "audit",
    summary:
      "tamper evidence: verify (the hash chains of decisions and ledger) | seal | grant-app-role --role R",
    load: async () => (await import("./audit-command.js")).auditCommand,
  },
  {
    name: "audit explanations",
    summary:
      "check every decision's explanation (zh-CN, en) against the explanation rules; exit 1 listing each",
    load: async () => (await import("./audit-explanations-command.js")).auditExplanationsCommand,
  },
  {
    name: "events import",
    summary: "ingest NDJSON events: <file.ndjson> [--lateness-days 3] [--batch-size n]",
    load: async () => (await import("./events-import-command.js")).eventsImportCommand,
  },
  {
    name: "features",
    summary: "a customer's features as of a date: <customerId> [--at YYYY-MM-DD]",
    load: async () => (await import("./features-command.js")).featuresCommand,
  },
  {
    name: "policy validate",
    summary: "check a limit policy or macro document: <file.yaml|file.json> [--json]",
    load: async () => (await import("./policy-command.js")).policyValidateCommand,
  },
  {
    name: "train",
    summary:
      "train a scorecard (all rows, k-fold CV, protected columns left out): --data <csv> --target <col> --bad <value> --out <model.json> [--pmml f]",
    load: async () => (await import("./train-command.js")).trainCommand,
  },
  {
    name: "score",
    summary: "score a CSV as NDJSON { row, score, probability, contributions }: --model <m> --data <csv>",
    load: async () => (await import("./score-command.js")).scoreCommand,
  },
  {
    name: "monitor",
    summary:
      "score and characteristic stability (PSI), approval rates by group: --model <m> --data <csv> [--baseline <csv>] [--group-by <col> --approve-at <score>]",
    load: async () => (await import("./monitor-command.js")).monitorCommand,
  },
  {
    name: "decide",
    summary: "decide a customer's limit now (operator re-evaluation): <customerId> [--date D] [--dry-run]",
    load: async () => (await import("./decide-command.js")).decideCommand,
  },
  {
    name: "explain",
    summary: "the latest decision's reasons, attribution and recovery plan: <customerId> [--lang zh-CN|en]",
    load: async () => (await import("./explain-command.js")).explainCommand,
  },
  {
    name: "replay",
    summary: "recompute a recorded decision; exits non-zero if anything differs: <decisionId>",
    load: async () => (await import("./replay-command.js")).replayCommand,
  },
  {
    name: "decisions list",
    summary: "recorded decisions, newest first: [--customer <id>] [--limit n]",
    load: async () => (await import("./decisions-command.js")).decisionsListCommand,
  },
  {
    name: "customers list",
    summary: "every customer's line: limit, available, outstanding, status",
    load: async () => (await import("./customers-command.js")).customersListCommand,
  },
  {
    name: "model register",
    summary: "register a scorecard artefact: <model.json|model.pmml> [--activate]",
    load: async () => (await import("./model-command.js")).modelRegisterCommand,
  },
  {
    name: "model activate",
    summary: "make a registered model the active one: <modelId>",
    load: async () => (await import("./model-command.js")).modelActivateCommand,
  },
  {
    name: "policy publish",
    summary: "publish a policy version and its announcement: <file> [--weight n for a challenger arm]",
    load: async () => (await import("./model-command.js")).policyPublishCommand,
  },
  {
    name: "macro set",
    summary: "publish macro settings and their announcement: <file>",
    load: async () => (await import("./model-command.js")).macroSetCommand,
  },
  {
    name: "review",
    summary:
      "portfolio review (resumes an unfinished one), or a what-if: [--dry-run] [--policy f] [--macro f]",
    load: async () => (await import("./review-command.js")).reviewCommand,
  },
  {
    name: "experiments",
    summary: "champion/challenger report over recorded decisions, per policy arm",
    load: async () => (await import("./experiments-command.js")).experimentsCommand,
  },
  {
    name: "serve",
    summary:
      "the HTTP API and web UI: [--port 3000] [--host 127.0.0.1] [--demo] (PORT, HOST from the environment)",
    load: async () => (await import("./serve-command.js")).serveCommand,
  },
  {
    name: "simulate",
    summary:
      "simulate a portfolio: --customers N --months M --seed S [--scenario steady|tightening|recession] [--report f.html] [--export-training f.csv]",
    load: async () => (await import("./simulate-command.js")).simulateCommand,
  },
  {
    name: "start",
    summary:
      "first start seeds a demo portfolio by simulation, then serves the API and web UI in demo mode: [--db] [--port] [--demo-customers N]",
    load: async () => (await import("./start-command.js")).startCommand,
  },
  {
    name: "keys create",
    summary:
      "make an API key: --role borrower --customer <id> | --role integration | --role operator | --role admin [--label L]",
    load: async () => (await import("./keys-command.js")).keysCreateCommand,
  },
  {
    name: "keys list",
    summary: "every API key: id, role, customer, label, created, expires, revoked (never the key)",
    load: async () => (await import("./keys-command.js")).keysListCommand,
  },
  {
    name: "keys revoke",
    summary: "revoke an API key: <keyId> (exit 1 when no active key has that id)",
    load: async () => (await import("./keys-command.js")).keysRevokeCommand,
  },
];
