// `headroom schedule`: JSON and table output, and usage errors exiting 2 with stable codes.
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { scheduleCommand } from "./schedule-command.js";

function sink(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      chunks.push(String(chunk));
      callback();
    },
  });
  return { stream, text: () => chunks.join("") };
}

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = sink();
  const errors = sink();
  const code = await scheduleCommand({ argv, stdout: out.stream, stderr: errors.stream });
  return { code, stdout: out.text(), stderr: errors.text() };
}

const base = [
  "--principal",
  "1000000",
  "--term",
  "3",
  "--method",
  "equal_principal",
  "--daily-rate-ppm",
  "400",
];

describe("headroom schedule", () => {
  it("prints the stored schedule as JSON", async () => {
    const { code, stdout } = await run([...base, "--start", "2026-01-15", "--json"]);
    expect(code).toBe(0);
    // 333,333 ×2 + 333,334; interest 1,000,000×0.0004×31, 666,667×0.0004×28, 333,334×0.0004×31.
    expect(JSON.parse(stdout)).toEqual([
      { n: 1, dueDate: "2026-02-15", principalMinor: 333_333, interestMinor: 12_400, totalMinor: 345_733 },
      { n: 2, dueDate: "2026-03-15", principalMinor: 333_333, interestMinor: 7_467, totalMinor: 340_800 },
      { n: 3, dueDate: "2026-04-15", principalMinor: 333_334, interestMinor: 4_133, totalMinor: 337_467 },
    ]);
  });

  it("prints a table with totals for people", async () => {
    const { code, stdout } = await run([...base, "--start", "2026-01-15"]);
    expect(code).toBe(0);
    expect(stdout).toContain("2026-03-15");
    expect(stdout).toMatch(/total\s+10,000\.00\s+240\.00\s+10,240\.00/);
  });

  it("exits 2 with a stable code for bad arguments", async () => {
    const cases: [string[], string][] = [
      [[...base], "missing_argument"],
      [[...base, "--start", "2026-02-30"], "invalid_date"],
      [[...base.slice(0, 1), "12.5", ...base.slice(2), "--start", "2026-01-15"], "invalid_amount"],
      [["--principal=-5", ...base.slice(2), "--start", "2026-01-15"], "invalid_amount"],
      [[...base.slice(0, 3), "0", ...base.slice(4), "--start", "2026-01-15"], "invalid_term"],
      [[...base.slice(0, 5), "monthly", ...base.slice(6), "--start", "2026-01-15"], "invalid_method"],
      [[...base.slice(0, 7), "abc", "--start", "2026-01-15"], "invalid_rate"],
      [[...base, "--start", "2026-01-15", "--bogus"], "invalid_arguments"],
    ];
    for (const [argv, expected] of cases) {
      const human = await run(argv);
      expect(human.code, argv.join(" ")).toBe(2);
      expect(human.stderr).toContain(`${expected}:`);
      const json = await run([...argv, "--json"]);
      expect(json.code).toBe(2);
      expect(JSON.parse(json.stdout).error.code).toBe(expected);
    }
  });
});
