// docs/errors.md, rendered from the error table (`npm run docs:errors` writes it; a test fails when the file
// differs). Pure: the table in, the Markdown out, rows grouped by status in the table's order.

import { errorTable, retiredErrorCodes } from "./errors.js";

/** The heading of each status's section. */
const statusTitles: Readonly<Record<number, string>> = {
  400: "the request is malformed",
  401: "no valid key",
  403: "the key may not do this",
  404: "not found",
  409: "conflicts with the current state",
  413: "the body is too large",
  414: "the URL is too long",
  415: "the body's type is not accepted",
  422: "well formed, refused by a rule",
  429: "too soon",
  500: "the server failed",
  503: "the server or its store is unavailable, retry",
};

const intro = `# HTTP API error codes

<!-- Generated from src/api/errors.ts by \`npm run docs:errors\`; edit the table there, not this file. -->

Every error response has the body \`{ "error": { "code", "message", "details" } }\`. \`code\` is stable and never
reused; \`message\` is for people and may change; \`details\` carries structured fields (for a validation
failure, \`details.problems: [{ path, message }]\`). The one table from code to status is \`errorTable\` in
\`src/api/errors.ts\`: the codes are a closed set, every lending, engine and store rejection code among them.

Bad input never gets a 5xx: 5xx means the server or its store failed, and the request can be retried.
Codes marked "routes answer …" are the engine's own; the API checks first and answers with the code named.
`;

const eventRejections = `## Per-event rejection codes (\`POST /v1/events\`, in \`rejected[]\`, not HTTP statuses)

Each rejected event is reported as \`{ index, code, message }\` while the rest of the batch is kept. The codes
are those of event validation (\`src/events\`: \`invalid_json\`, \`missing_field\`, \`invalid_field\`, \`unknown_type\`,
\`negative_amount\`, \`occurred_in_future\`, \`payload_too_large\`, \`invalid_event_id\`, …), of the event log
(\`event_too_late\`), and \`event_type_not_accepted\`: a lending event type (\`limit.changed\`, \`drawdown.made\`, …),
which only the lending service writes.
`;

function cell(text: string): string {
  return text.replaceAll("|", "\\|");
}

export function renderErrorsDoc(): string {
  const byStatus = new Map<number, [string, string][]>();
  for (const [code, entry] of Object.entries(errorTable)) {
    const rows = byStatus.get(entry.status) ?? [];
    rows.push([code, entry.meaning]);
    byStatus.set(entry.status, rows);
  }
  const sections = [...byStatus]
    .sort(([a], [b]) => a - b)
    .map(([status, rows]) => {
      const title = statusTitles[status] ?? "";
      const lines = rows.map(([code, meaning]) => `| \`${code}\` | ${cell(meaning)} |`);
      return [`## ${status} — ${title}`, "", "| code | meaning |", "| --- | --- |", ...lines, ""].join("\n");
    });
  const retired = [
    "## Retired codes",
    "",
    "Documented once, never answered; listed so that no other error is ever given them.",
    "",
    "| code | note |",
    "| --- | --- |",
    ...Object.entries(retiredErrorCodes).map(([code, note]) => `| \`${code}\` | ${cell(note)} |`),
    "",
  ].join("\n");
  return [intro, ...sections, eventRejections, retired].join("\n");
}
