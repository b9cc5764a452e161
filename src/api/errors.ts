// The one table from error code to HTTP status and meaning, the ApiError type routes throw, and the Fastify
// error and not-found handlers that turn every failure into `{ error: { code, message, details } }`.
// Invariants: the codes are a closed union (the API's own, every lending, engine and store rejection code the
// table must cover or the build fails); bad input never gets a 5xx; docs/errors.md is generated from the table.

import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  type DecisionEngine,
  idempotencyKeyLengthMax,
  type RegistryRejection,
  type ServiceRejection,
} from "../engine/index.js";
import { StoreError } from "../store/index.js";

/** The error of a method that answers `Promise<Result<T, E>>`. */
type RejectionOf<F> = F extends (...args: never[]) => Promise<infer R>
  ? R extends { readonly ok: false; readonly error: infer E }
    ? E
    : never
  : never;

/** Every code a domain can hand the API as a rejection or an operational failure: the table must cover each. */
export type DomainErrorCode =
  | ServiceRejection["code"]
  | RegistryRejection["code"]
  | RejectionOf<DecisionEngine["decideForCustomer"]>["code"]
  | RejectionOf<DecisionEngine["replay"]>["code"]
  | StoreError["code"];

export interface ErrorEntry {
  readonly status: number;
  /** What the code means to a client: one line, rendered into docs/errors.md. */
  readonly meaning: string;
}

/**
 * Every code the API answers with: its HTTP status and what it means. Ordered by status; docs/errors.md is
 * rendered from it (`npm run docs:errors`). The `satisfies` makes a domain code without a row a compile error.
 */
export const errorTable = {
  // 400: the request is malformed
  invalid_request: {
    status: 400,
    meaning:
      "the body, query or path does not match the route's schema: a missing or mistyped field, a string where an integer is expected, a fraction or an amount beyond the safe-integer range, or a field the caller may not set (`limit`, `rate`, `status`, `customer`…: bodies are closed); `details.problems` lists each `{ path, message }`.",
  },
  invalid_json: { status: 400, meaning: "the body is not valid JSON." },
  invalid_cursor: {
    status: 400,
    meaning:
      "`cursor` is not one this server issued, on every paged list; a list that never pages (`GET /v1/reviews`) refuses any cursor.",
  },
  invalid_date: {
    status: 400,
    meaning:
      "a date (`from`, `to` of `GET /v1/decisions`) has the `YYYY-MM-DD` shape but is not a calendar date (`2026-02-30`, `2026-13-01`); `details.field`, `details.value`.",
  },
  json_too_deep: {
    status: 400,
    meaning:
      "the JSON body nests arrays and objects deeper than 64 levels (`jsonDepthMax`); refused before it is parsed, on every route; `details.depthMax`.",
  },
  invalid_url: {
    status: 400,
    meaning: "the path is not valid percent-encoded UTF-8 (`/v1/customers/%E0%A4%A`).",
  },
  idempotency_key_required: {
    status: 400,
    meaning:
      "a money route (`POST /v1/lines/{lineId}/drawdowns`, `…/repayments`) was called without an `Idempotency-Key` header, " +
      `or with one that is not 1–${idempotencyKeyLengthMax} printable ASCII characters (\`idempotencyKeyLengthMax\`).`,
  },
  invalid_idempotency_key: {
    status: 400,
    meaning:
      `the lending service's own check of an idempotency key (1–${idempotencyKeyLengthMax} characters); ` +
      "the API checks the header first and answers `idempotency_key_required`.",
  },
  webhook_url_forbidden: {
    status: 400,
    meaning:
      "the webhook URL is not http(s), carries credentials, or resolves to a loopback, private, link-local, CGNAT or multicast address (allowed only when the server runs with `allowPrivateWebhookUrls` for development).",
  },
  policy_invalid: {
    status: 400,
    meaning: "a policy document failed validation; `details.problems: [{ path, message }]`.",
  },
  macro_invalid: { status: 400, meaning: "a macro document failed validation; `details.problems`." },
  model_invalid: {
    status: 400,
    meaning:
      "the model artefact is not a `headroom.scorecard`, or a PMML body (`Content-Type: application/xml` or `text/xml`) does not import; `details.reason` is the PMML importer's code (`xml_malformed`, `pmml_invalid`, `pmml_unsupported`).",
  },
  override_invalid: {
    status: 400,
    meaning:
      "a candidate policy or macro given to a what-if run is invalid; `details.problems` (the API checks candidates first and answers `policy_invalid` or `macro_invalid`).",
  },
  // 401, 403, 404
  unauthorized: {
    status: 401,
    meaning: "no `Authorization: Bearer hr_…` header, or the key is unknown, revoked or expired.",
  },
  forbidden: {
    status: 403,
    meaning:
      "the key's role may not call this route (a borrower on an operator route, an operator on an admin route).",
  },
  demo_loopback_only: {
    status: 403,
    meaning: "`POST /v1/demo/session` from anywhere but this machine.",
  },
  not_found: {
    status: 404,
    meaning:
      "the resource does not exist **or belongs to another customer** (a borrower cannot tell the two apart, so ids cannot be probed).",
  },
  route_not_found: { status: 404, meaning: "no such route." },
  line_not_found: {
    status: 404,
    meaning: "the lending service has no such line (routes check visibility first and answer `not_found`).",
  },
  customer_not_found: {
    status: 404,
    meaning: "the decision engine finds no line for the customer (routes answer `not_found`).",
  },
  decision_not_found: {
    status: 404,
    meaning: "no such decision to replay (routes answer `not_found`).",
  },
  model_not_found: {
    status: 404,
    meaning: "no such model in the registry (routes answer `not_found`).",
  },
  policy_not_found: { status: 404, meaning: "no such policy id and version in the registry." },
  // 409: conflicts with the current state
  idempotency_request_in_flight: {
    status: 409,
    meaning:
      "a request with the same `Idempotency-Key` is still being processed; retry after `Retry-After` seconds.",
  },
  line_frozen: {
    status: 409,
    meaning:
      "the line is frozen (overdue, or by an operator): no drawdowns, and no re-evaluation (`POST /v1/customers/{id}/reevaluations` is withheld and counts no limit query). The message says to repay the overdue amount first; `details.overdueMinor` is that amount (0 for a hold set by an operator) and `details.frozenForOverdue` says whether paying it lifts the freeze.",
  },
  line_closed: { status: 409, meaning: "the line is closed." },
  line_exists: { status: 409, meaning: "a line with this id already exists." },
  customer_has_line: { status: 409, meaning: "the customer already has an open line." },
  policy_version_exists: {
    status: 409,
    meaning:
      "`POST /v1/policies`: that policy id and version exist with another document (versions are immutable); `details.subject`.",
  },
  model_exists: {
    status: 409,
    meaning:
      "`POST /v1/models`: that model id exists with another content hash (artefacts are immutable); `details.subject`.",
  },
  version_conflict: {
    status: 409,
    meaning:
      "`PUT /v1/macro`: that macro id and version exist with another document (versions are immutable); `details.subject`.",
  },
  // 413, 414, 415
  payload_too_large: { status: 413, meaning: "the body is larger than the limit (1 MiB by default)." },
  uri_too_long: {
    status: 414,
    meaning: "the URL is longer than 4,096 characters (`urlLengthMax`), or a path parameter longer than 200.",
  },
  unsupported_media_type: {
    status: 415,
    meaning:
      "the body is neither JSON nor (for `POST /v1/models`) XML: `text/plain`, form data, XML on any other route.",
  },
  // 422: well formed, refused by a rule
  idempotency_key_mismatch: {
    status: 422,
    meaning: "the `Idempotency-Key` was used before with another request body or route.",
  },
  invalid_amount: {
    status: 422,
    meaning: "an amount is not a positive safe integer of minor units (the lending service's own check).",
  },
  invalid_term: {
    status: 422,
    meaning: "a term is not a positive whole number of months (the lending service's own check).",
  },
  limit_exceeded: {
    status: 422,
    meaning:
      "the drawdown is larger than the available amount; `details.availableMinor`, `details.requestedMinor`.",
  },
  amount_below_minimum: {
    status: 422,
    meaning: "the drawdown is below the product's minimum (100 CNY by default).",
  },
  amount_above_maximum: {
    status: 422,
    meaning: "the drawdown is above the product's per-drawdown maximum.",
  },
  term_not_offered: {
    status: 422,
    meaning: "the product does not offer this term (3, 6, 12 months by default).",
  },
  method_not_offered: { status: 422, meaning: "the product does not offer this repayment method." },
  date_before_line_opened: { status: 422, meaning: "the business date is before the line opened." },
  repayment_exceeds_owed: { status: 422, meaning: "the repayment is larger than everything owed." },
  nothing_owed: { status: 422, meaning: "a repayment on a line that owes nothing." },
  invalid_id: {
    status: 422,
    meaning: "an id is not 1–100 characters of letters, digits and `-_.:`.",
  },
  invalid_limit: {
    status: 422,
    meaning: "a limit is not a non-negative safe integer of minor units.",
  },
  limit_out_of_range: { status: 422, meaning: "the limit is outside the product's limit range." },
  limit_not_rounded: {
    status: 422,
    meaning: "the limit is not a multiple of the product's limit step.",
  },
  line_not_frozen: { status: 422, meaning: "the line is not frozen (nothing to unfreeze)." },
  line_delinquent: {
    status: 422,
    meaning: "the line has overdue instalments; pay the arrears to unfreeze it.",
  },
  line_has_outstanding: {
    status: 422,
    meaning: "the line cannot be closed while amounts are owed.",
  },
  date_already_closed: {
    status: 422,
    meaning: "end of day has already run for this business date.",
  },
  end_of_day_pending: {
    status: 422,
    meaning: "end of day has not run for the previous business date.",
  },
  end_of_day_out_of_order: {
    status: 422,
    meaning: "end of day must run for the next business date first.",
  },
  duplicate_drawdown: {
    status: 422,
    meaning: "a drawdown with this id already exists on the line.",
  },
  product_mismatch: { status: 422, meaning: "the product is not the line's product." },
  limit_not_applicable: {
    status: 422,
    meaning: "the line refused the decided limit; nothing was recorded; `details.lendingCode` says why.",
  },
  invalid_weight: {
    status: 422,
    meaning: "a policy arm's weight is not an integer in 1…1,000,000.",
  },
  registry_empty: {
    status: 422,
    meaning: "nothing is published yet of what the operation needs (`details.what`: model, policy or macro).",
  },
  // 429
  reevaluation_rate_limited: {
    status: 429,
    meaning:
      "a borrower asked for a re-evaluation too soon after the last one (once per 24 h); the `Retry-After` header and `details.retryAfterSeconds` say when to come back.",
  },
  // 5xx: the server failed, retry
  internal_error: { status: 500, meaning: "a bug; the log has the details." },
  store_invalid_url: {
    status: 500,
    meaning: "the server's store location is not a SQLite path or a postgres URL (a configuration error).",
  },
  store_unavailable: { status: 503, meaning: "the database does not answer." },
  store_busy: { status: 503, meaning: "the database stayed locked past every retry." },
  store_conflict: { status: 503, meaning: "a transaction lost every retry of a race." },
} as const satisfies Record<DomainErrorCode, ErrorEntry> & Record<string, ErrorEntry>;

/** A code the API answers with: a closed union, one row of `errorTable` each. */
export type ErrorCode = keyof typeof errorTable;

/** Codes once documented that the API never answered; kept here so they are never given another meaning. */
export const retiredErrorCodes = {
  method_not_allowed:
    "reserved for a route that exists for another method; such a request answers `route_not_found`.",
  line_not_active: "never answered: a line that is not active answers `line_frozen` or `line_closed`.",
  review_in_progress: "never answered: starting a review while one runs resumes the running one.",
  outstanding_balance: "never answered: the lending code is `line_has_outstanding`.",
  rejected: "never answered: every domain rejection has its own code.",
  feature_unavailable:
    "503 while a route's service could be left out of a server; every server now has every service.",
} as const satisfies Record<string, string>;

/** Each code's HTTP status (the table's status column). */
export const errorStatus: { readonly [C in ErrorCode]: (typeof errorTable)[C]["status"] } =
  Object.fromEntries(Object.entries(errorTable).map(([code, entry]) => [code, entry.status])) as {
    readonly [C in ErrorCode]: (typeof errorTable)[C]["status"];
  };

export function statusOf(code: ErrorCode): number {
  return errorTable[code].status;
}

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(errorTable, code);
}

export interface ErrorBody {
  readonly error: {
    readonly code: ErrorCode;
    readonly message: string;
    readonly details: Record<string, unknown>;
  };
}

/** A failure a route reports on purpose; its status is the table's. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  readonly statusCode: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.statusCode = statusOf(code);
  }
}

/** A domain rejection (`{ code, message, ...fields }`) as an ApiError, the fields becoming details. */
export function fromRejection<R extends { readonly code: ErrorCode; readonly message: string }>(
  rejection: R,
): ApiError {
  const { code, message, ...fields } = rejection;
  return new ApiError(code, message, fields);
}

export function errorBody(
  code: ErrorCode,
  message: string,
  details: Record<string, unknown> = {},
): ErrorBody {
  return { error: { code, message, details } };
}

interface ValidationProblem {
  readonly path: string;
  readonly message: string;
}

function validationProblems(error: FastifyError): ValidationProblem[] {
  const context = (error as FastifyError & { validationContext?: string }).validationContext ?? "body";
  return (error.validation ?? []).slice(0, 20).map((v) => {
    const extra =
      v.keyword === "additionalProperties"
        ? `/${String((v.params as { additionalProperty?: string }).additionalProperty)}`
        : "";
    return { path: `${context}${v.instancePath}${extra}`, message: v.message ?? v.keyword };
  });
}

/** Fastify's own request errors, by their FST_ code: our code and a message that does not echo the input. */
const frameworkErrorCodes: Readonly<Record<string, readonly [ErrorCode, string]>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: ["payload_too_large", "the request body is too large"],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [
    "unsupported_media_type",
    "the content type is not accepted: send application/json",
  ],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ["invalid_request", "the content length does not match the body"],
  FST_ERR_CTP_EMPTY_JSON_BODY: ["invalid_request", "the JSON body is empty"],
  FST_ERR_CTP_INVALID_JSON_BODY: ["invalid_json", "the body is not valid JSON"],
  FST_ERR_BAD_URL: ["invalid_url", "the URL is not valid percent-encoded UTF-8"],
  FST_ERR_MAX_PARAM_LENGTH: ["uri_too_long", "a path segment is too long"],
};

/** Maps anything thrown in a route or by Fastify itself to a status and an error body. */
export function toErrorResponse(error: unknown): {
  status: number;
  body: ErrorBody;
  headers: Record<string, string>;
} {
  if (error instanceof ApiError) {
    return {
      status: error.statusCode,
      body: errorBody(error.code, error.message, error.details),
      headers: { ...error.headers },
    };
  }
  const e = error as Partial<FastifyError> & { name?: string; code?: string };
  if (e.validation) {
    const problems = validationProblems(e as FastifyError);
    const first = problems[0];
    return {
      status: 400,
      body: errorBody("invalid_request", first ? `${first.path}: ${first.message}` : "invalid request", {
        problems,
      }),
      headers: {},
    };
  }
  if (error instanceof StoreError) {
    return {
      status: statusOf(error.code),
      body: errorBody(error.code, "the store is unavailable, retry later"),
      headers: {},
    };
  }
  const framework = typeof e.code === "string" ? frameworkErrorCodes[e.code] : undefined;
  if (framework !== undefined) {
    const [code, message] = framework;
    return { status: statusOf(code), body: errorBody(code, message), headers: {} };
  }
  if (error instanceof SyntaxError || (e.statusCode === 400 && /JSON/i.test(e.message ?? ""))) {
    return { status: 400, body: errorBody("invalid_json", "the body is not valid JSON"), headers: {} };
  }
  // Any other client error Fastify raised (bad header …) stays a 4xx with a code of the table.
  if (typeof e.statusCode === "number" && e.statusCode >= 400 && e.statusCode < 500) {
    const code =
      e.statusCode === 413 ? "payload_too_large" : e.statusCode === 414 ? "uri_too_long" : "invalid_request";
    return { status: statusOf(code), body: errorBody(code, e.message ?? "bad request"), headers: {} };
  }
  return { status: 500, body: errorBody("internal_error", "internal error"), headers: {} };
}

/** Answers an unmatched request instead of the 404 body (e.g. the web UI's index for its client-side routes). */
export type NotFoundFallback = (request: FastifyRequest, reply: FastifyReply) => Promise<boolean>;

/**
 * Answers any failure in the one body shape. The server's error handler, and Fastify's `frameworkErrors`
 * too: the router's own refusals (a bad percent-encoding, a path parameter over `maxParamLength`) come here
 * before any route or hook runs.
 */
export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const { status, body, headers } = toErrorResponse(error);
  if (status >= 500) request.log.error({ err: error }, "request failed");
  void reply.status(status).headers(headers).send(body);
}

/** Installs the error and not-found handlers: one body shape for every failure. */
export function installErrorHandlers(app: FastifyInstance, fallback?: NotFoundFallback): void {
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(async (request: FastifyRequest, reply: FastifyReply) => {
    if (fallback && (await fallback(request, reply))) return reply;
    return reply
      .status(404)
      .send(errorBody("route_not_found", `no route ${request.method} ${request.url.split("?")[0]}`));
  });
}
