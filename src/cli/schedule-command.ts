// `headroom schedule`: prints the schedule the engine would store for a drawdown (no storage touched).
// Bad arguments exit 2 with a stable code; --json prints [{ n, dueDate, principalMinor, interestMinor, totalMinor }].

import { parseArgs } from "node:util";
import { buildSchedule, validateScheduleInput } from "../lending/index.js";
import { formatMinor } from "../money/index.js";
import { parseDate } from "../time/index.js";

const usage =
  "usage: headroom schedule --principal <minor> --term <months> --method <equal_instalment|equal_principal|interest_first> --daily-rate-ppm <n> --start <YYYY-MM-DD> [--json]";

/** A whole number written in decimal digits, or NaN (so "1e3", "12.5" and "" are refused). */
function integerArg(text: string | undefined): number {
  return text !== undefined && /^-?\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
}

/** The command's context, structurally (importing commands.ts from here would close an import cycle). */
interface ScheduleContext {
  readonly argv: readonly string[];
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

export const scheduleCommand = async (ctx: ScheduleContext): Promise<number> => {
  // The CLI's error shape: `{ error: { code, message } }` on stdout with --json, text on stderr otherwise.
  const json = ctx.argv.includes("--json");
  const fail = (code: string, message: string): number => {
    if (json) ctx.stdout.write(`${JSON.stringify({ error: { code, message } })}\n`);
    else ctx.stderr.write(`headroom schedule: ${code}: ${message}\n${usage}\n`);
    return 2;
  };
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...ctx.argv],
      options: {
        principal: { type: "string" },
        term: { type: "string" },
        method: { type: "string" },
        "daily-rate-ppm": { type: "string" },
        start: { type: "string" },
        json: { type: "boolean", default: false },
        db: { type: "string" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return fail("invalid_arguments", (error as Error).message);
  }
  for (const name of ["principal", "term", "method", "daily-rate-ppm", "start"]) {
    if (typeof values[name] !== "string") return fail("missing_argument", `--${name} is required`);
  }
  const checked = validateScheduleInput({
    principalMinor: integerArg(values.principal as string),
    termMonths: integerArg(values.term as string),
    method: values.method,
    dailyRatePpm: integerArg(values["daily-rate-ppm"] as string),
  });
  if (!checked.ok) return fail(checked.error.code, checked.error.message);
  const start = parseDate(values.start);
  if (!start.ok) return fail(start.error.code, start.error.message);
  const schedule = buildSchedule({ ...checked.value, startDate: start.value });
  if (values.json) {
    ctx.stdout.write(`${JSON.stringify(schedule)}\n`);
    return 0;
  }
  const header = ["n", "due date", "principal", "interest", "total"];
  const rows = schedule.map((line) => [
    String(line.n),
    line.dueDate,
    formatMinor(line.principalMinor),
    formatMinor(line.interestMinor),
    formatMinor(line.totalMinor),
  ]);
  const totals = [
    "",
    "total",
    ...(["principalMinor", "interestMinor", "totalMinor"] as const).map((k) =>
      formatMinor(schedule.reduce((s, line) => s + line[k], 0)),
    ),
  ];
  const table = [header, ...rows, totals];
  const widths = header.map((_, c) => Math.max(...table.map((row) => (row[c] ?? "").length)));
  const render = (row: string[]): string =>
    row.map((cell, c) => (c === 1 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join("  ");
  ctx.stdout.write(`${table.map(render).join("\n")}\n`);
  return 0;
};
