import { describe, expect, it } from "vitest";
import type { CommandContext } from "./commands.js";
import { writeError } from "./db-options.js";

function capture(): { ctx: CommandContext; err: () => string } {
  const chunks: string[] = [];
  const sink = {
    write(chunk: string) {
      chunks.push(chunk);
      return true;
    },
  } as unknown as NodeJS.WritableStream;
  return {
    ctx: { argv: [], stdout: sink, stderr: sink } as unknown as CommandContext,
    err: () => chunks.join(""),
  };
}

describe("writeError", () => {
  it("names the code once, also when the message already starts with it", () => {
    const usage = capture();
    writeError(usage.ctx, false, "usage", "usage: headroom line repay <lineId> --amount …");
    expect(usage.err()).toBe("headroom: usage: headroom line repay <lineId> --amount …\n");
    const other = capture();
    writeError(other.ctx, false, "term_not_offered", "the product does not offer this term");
    expect(other.err()).toBe("headroom: term_not_offered: the product does not offer this term\n");
  });
});
