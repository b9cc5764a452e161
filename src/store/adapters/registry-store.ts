// The model / policy / macro registries and announcements over SQL, both dialects. Versions are immutable:
// publishing the same id@version again with the same content is a no-op, with other content a conflict.
// A publish (rows, announcement, pointer moves) is one transaction.

import type {
  Announcement,
  PutOutcome,
  RegistryChange,
  RegistryPointer,
  RegistryStore,
  StoredMacro,
  StoredModel,
  StoredPolicy,
} from "../../engine/index.js";
import type { MacroDoc, PolicyDoc } from "../../policy/index.js";
import { canonicalJson as canonical, type Scorecard } from "../../scoring/index.js";
import type { Db, Tx } from "../sql/db.js";
import { enqueueWebhookEvent } from "./api-store.js";

/** Rows returned by a registry listing. */
export const registryListMax = 1_000;

interface ModelRow {
  model_id: string;
  content_hash: string;
  format: string;
  artefact: string;
  registered_ms: number;
}
interface VersionRow {
  id: string;
  version: number;
  document: string;
  announcement_id: string | null;
  published_ms: number;
}
interface AnnouncementRow {
  announcement_id: string;
  kind: string;
  subject: string;
  title_zh: string;
  title_en: string;
  body_zh: string;
  body_en: string;
  effective_date: string;
  published_ms: number;
}

const toModel = (r: ModelRow): StoredModel => ({
  modelId: r.model_id,
  contentHash: r.content_hash,
  format: r.format === "pmml" ? "pmml" : "json",
  model: JSON.parse(r.artefact) as Scorecard,
  registeredMs: Number(r.registered_ms),
});
/** A policy's or macro's version row, but for its id (which each names its own way). */
const versionOf = <D>(r: VersionRow) => ({
  version: r.version,
  document: JSON.parse(r.document) as D,
  announcementId: r.announcement_id,
  publishedMs: Number(r.published_ms),
});
const toPolicy = (r: VersionRow): StoredPolicy => ({ policyId: r.id, ...versionOf<PolicyDoc>(r) });
const toMacro = (r: VersionRow): StoredMacro => ({ macroId: r.id, ...versionOf<MacroDoc>(r) });
const toAnnouncement = (r: AnnouncementRow): Announcement => ({
  announcementId: r.announcement_id,
  kind: r.kind === "macro" ? "macro" : "policy",
  subject: r.subject,
  title: { "zh-CN": r.title_zh, en: r.title_en },
  body: { "zh-CN": r.body_zh, en: r.body_en },
  effectiveDate: r.effective_date,
  publishedMs: Number(r.published_ms),
});

const policyColumns = `policy_id AS id, version, document, announcement_id, published_ms`;
const macroColumns = `macro_id AS id, version, document, announcement_id, published_ms`;

async function putModel(tx: Tx, model: StoredModel): Promise<PutOutcome> {
  const existing = await tx.get<{ content_hash: string }>(
    `SELECT content_hash FROM models WHERE model_id = ?`,
    [model.modelId],
  );
  if (existing) return existing.content_hash === model.contentHash ? "exists" : "conflict";
  await tx.run(
    `INSERT INTO models (model_id, content_hash, format, artefact, registered_ms) VALUES (?, ?, ?, ?, ?)`,
    [model.modelId, model.contentHash, model.format, JSON.stringify(model.model), model.registeredMs],
  );
  return "inserted";
}

/** A policy's or macro's version as a publish writes it (its id apart). */
interface VersionWrite {
  readonly version: number;
  readonly document: unknown;
  readonly announcementId: string | null;
  readonly publishedMs: number;
}

async function putVersion(
  tx: Tx,
  table: "policies" | "macros",
  idColumn: "policy_id" | "macro_id",
  id: string,
  { version, document, announcementId, publishedMs }: VersionWrite,
): Promise<PutOutcome> {
  const existing = await tx.get<{ document: string }>(
    `SELECT document FROM ${table} WHERE ${idColumn} = ? AND version = ?`,
    [id, version],
  );
  if (existing)
    return canonical(JSON.parse(existing.document)) === canonical(document) ? "exists" : "conflict";
  await tx.run(
    `INSERT INTO ${table} (${idColumn}, version, document, announcement_id, published_ms) VALUES (?, ?, ?, ?, ?)`,
    [id, version, JSON.stringify(document), announcementId, publishedMs],
  );
  return "inserted";
}

function merge(a: PutOutcome, b: PutOutcome): PutOutcome {
  if (a === "conflict" || b === "conflict") return "conflict";
  return a === "inserted" || b === "inserted" ? "inserted" : "exists";
}

/** Thrown inside a publish transaction to roll it back on a conflict. */
class Conflict extends Error {}

/** Reads of one table of versioned documents (policies, macro settings): one version, and the list. */
function versionedDocuments<T>(
  db: Db,
  table: "policies" | "macros",
  idColumn: "policy_id" | "macro_id",
  columns: string,
  toDocument: (row: VersionRow) => T,
) {
  return {
    get: (id: string, version: number): Promise<T | null> =>
      db.read(async (tx) => {
        const row = await tx.get<VersionRow>(
          `SELECT ${columns} FROM ${table} WHERE ${idColumn} = ? AND version = ?`,
          [id, version],
        );
        return row ? toDocument(row) : null;
      }),
    list: (): Promise<T[]> =>
      db.read(async (tx) =>
        (
          await tx.all<VersionRow>(`SELECT ${columns} FROM ${table} ORDER BY ${idColumn}, version LIMIT ?`, [
            registryListMax,
          ])
        ).map(toDocument),
      ),
  };
}

/** Announcements, newest first, at most `limit`. */
export async function announcementsNewestFirst(tx: Tx, limit: number): Promise<Announcement[]> {
  const rows = await tx.all<AnnouncementRow>(
    `SELECT * FROM announcements ORDER BY published_ms DESC, announcement_id LIMIT ?`,
    [limit],
  );
  return rows.map(toAnnouncement);
}

export function createRegistryStore(db: Db): RegistryStore {
  const policies = versionedDocuments(db, "policies", "policy_id", policyColumns, toPolicy);
  const macros = versionedDocuments(db, "macros", "macro_id", macroColumns, toMacro);
  return {
    getModel(modelId) {
      return db.read(async (tx) => {
        const row = await tx.get<ModelRow>(`SELECT * FROM models WHERE model_id = ?`, [modelId]);
        return row ? toModel(row) : null;
      });
    },

    putModel(model) {
      return db.transaction((tx) => putModel(tx, model), { retryOnUniqueViolation: true });
    },

    listModels() {
      return db.read(async (tx) =>
        (
          await tx.all<Omit<ModelRow, "artefact">>(
            `SELECT model_id, content_hash, format, registered_ms FROM models ORDER BY registered_ms, model_id LIMIT ?`,
            [registryListMax],
          )
        ).map((r) => {
          const { model: _model, ...rest } = toModel({ ...r, artefact: "null" });
          return rest;
        }),
      );
    },

    getPolicy: policies.get,
    listPolicies: policies.list,
    getMacro: macros.get,
    listMacros: macros.list,

    getAnnouncement(announcementId) {
      return db.read(async (tx) => {
        const row = await tx.get<AnnouncementRow>(`SELECT * FROM announcements WHERE announcement_id = ?`, [
          announcementId,
        ]);
        return row ? toAnnouncement(row) : null;
      });
    },

    listAnnouncements() {
      return db.read((tx) => announcementsNewestFirst(tx, registryListMax));
    },

    getPointer(name: RegistryPointer) {
      return db.read(
        async (tx) =>
          (await tx.get<{ value: string }>(`SELECT value FROM registry_pointers WHERE name = ?`, [name]))
            ?.value ?? null,
      );
    },

    async publish(change: RegistryChange): Promise<PutOutcome> {
      try {
        return await db.transaction(
          async (tx) => {
            let outcome: PutOutcome = "exists";
            if (change.model) outcome = merge(outcome, await putModel(tx, change.model));
            const { policy, macro } = change;
            if (policy) {
              outcome = merge(
                outcome,
                await putVersion(tx, "policies", "policy_id", policy.policyId, policy),
              );
            }
            if (macro)
              outcome = merge(outcome, await putVersion(tx, "macros", "macro_id", macro.macroId, macro));
            if (outcome === "conflict") throw new Conflict();
            const a = change.announcement;
            if (a && outcome === "inserted") {
              await tx.run(
                `INSERT INTO announcements (announcement_id, kind, subject, title_zh, title_en, body_zh, body_en,
                   effective_date, published_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                 ON CONFLICT (announcement_id) DO NOTHING`,
                [
                  a.announcementId,
                  a.kind,
                  a.subject,
                  a.title["zh-CN"],
                  a.title.en,
                  a.body["zh-CN"],
                  a.body.en,
                  a.effectiveDate,
                  a.publishedMs,
                ],
              );
              // The webhook is queued in this transaction: published and announced together, or neither.
              await enqueueWebhookEvent(tx, {
                type: "announcement.published",
                sourceId: a.announcementId,
                occurredAt: new Date(a.publishedMs).toISOString(),
                data: {
                  announcementId: a.announcementId,
                  kind: a.kind,
                  subject: a.subject,
                  effectiveDate: a.effectiveDate,
                  title: a.title,
                },
                nowMs: a.publishedMs,
              });
            }
            for (const [name, value] of Object.entries(change.pointers ?? {})) {
              if (value === undefined) continue;
              await tx.run(
                `INSERT INTO registry_pointers (name, value, updated_ms) VALUES (?, ?, ?)
                 ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_ms = excluded.updated_ms`,
                [name, value, change.atMs],
              );
            }
            return outcome;
          },
          { retryOnUniqueViolation: true },
        );
      } catch (error) {
        if (error instanceof Conflict) return "conflict";
        throw error;
      }
    },
  };
}
