// api: the Fastify HTTP server — auth by API key, idempotent money routes, the error table, OpenAPI,
// metrics, webhooks (signing, outbox dispatcher, URL guard) and the wiring onto a store.
export {
  type AccessLevel,
  apiKeyPrefix,
  apiRoles,
  createApiKey,
  createAuthenticator,
  hashApiKey,
  type KeyView,
  listKeyViews,
  type Principal,
  revokeKey,
} from "./auth.js";
export { type ApiConfig, type AuditConfig, ConfigError, loadApiConfig, loadAuditConfig } from "./config.js";
export type {
  ApiContext,
  ApiEngine,
  EventIngest,
  ExperimentArmReport,
  ExperimentsSummary,
  ReviewRunner,
  ReviewStatus,
  WhatIfRejection,
  WhatIfSummary,
} from "./context.js";
export { ApiError, type ErrorCode, errorStatus, errorTable, statusOf } from "./errors.js";
export { decisionReasonCodes } from "./render.js";
export { createReviewRunner, whatIfSummary } from "./review-runner.js";
export { overdueStandingOf } from "./routes/customers.js";
export { type BuildServerOptions, buildServer, type RegisteredRoute } from "./server.js";
export {
  backoffDelayMs,
  createWebhookDispatcher,
  type DeliveryOutcome,
  type WebhookDispatcher,
} from "./webhooks/dispatcher.js";
export { signWebhook, webhookHeaders } from "./webhooks/signing.js";
export { checkWebhookUrl } from "./webhooks/url-guard.js";
export { openApiEngine, type WiringOptions } from "./wiring.js";
