// The one table from error code to HTTP status, the ApiError type routes throw, and the Fastify error and
// not-found handlers that turn every failure into `{ error: { code, message, details } }`. Bad input never gets a 5xx.

import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

/** Every code the API can answer with, and its HTTP status. docs/errors.md documents each one. */
export const errorStatus = {
  // Request shape (400)
  invalid_request: 400,
  invalid_json: 400,
  idempotency_key_required: 400,
  webhook_url_forbidden: 400,
  policy_invalid: 400,
  macro_invalid: 400,
  model_invalid: 400,
  invalid_cursor: 400,
  invalid_date: 400,
  json_too_deep: 400,
  invalid_url: 400,
  // Identity and access
  unauthorized: 401,
  forbidden: 403,
  demo_loopback_only: 403,
  not_found: 404,
  route_not_found: 404,
  method_not_allowed: 405,
  // Conflicts and state
  idempotency_request_in_flight: 409,
  line_frozen: 409,
  line_closed: 409,
  line_not_active: 409,
  review_in_progress: 409,
  payload_too_large: 413,
  uri_too_long: 414,
  unsupported_media_type: 415,
  // Domain rules (the request was well formed, the rule said no)
  idempotency_key_mismatch: 422,
  invalid_amount: 422,
  limit_exceeded: 422,
  amount_below_minimum: 422,
  amount_above_maximum: 422,
  term_not_offered: 422,
  method_not_offered: 422,
  date_before_line_opened: 422,
  repayment_exceeds_owed: 422,
  nothing_owed: 422,
  outstanding_balance: 422,
  policy_version_exists: 409,
  model_exists: 409,
  rejected: 422,
  reevaluation_rate_limited: 429,
  // Operational (never caused by input)
  internal_error: 500,
  feature_unavailable: 503,
  store_unavailable: 503,
  store_busy: 503,
  store_conflict: 503,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof errorStatus;

/** Status for a domain rejection code not in the table: the caller asked for something the rules refuse. */
export const domainRejectionStatusDefault = 422;

export function statusOf(code: string): number {
  return (errorStatus as Record<string, number>)[code] ?? domainRejectionStatusDefault;
}

export interface ErrorBody {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly details: Record<string, unknown>;
  };
}

/** A failure a route reports on purpose. `code` is either in the table or a domain rejection code. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  readonly statusCode: number;
  constructor(
    readonly code: ErrorCode | (string & {}),
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.statusCode = statusOf(code);
  }
}

/** A domain rejection (`{ code, message, ...fields }`) as an ApiError, the fields becoming details. */
export function fromRejection(rejection: { readonly code: string; readonly message: string }): ApiError {
  const { code, message, ...fields } = rejection as { code: string; message: string } & Record<
    string,
    unknown
  >;
  return new ApiError(code, message, fields);
}

export function errorBody(code: string, message: string, details: Record<string, unknown> = {}): ErrorBody {
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
  if (e.name === "StoreError" && typeof e.code === "string" && e.code in errorStatus) {
    return {
      status: statusOf(e.code),
      body: errorBody(e.code, "the store is unavailable, retry later"),
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
