// An in-memory RegistryStore (the engine's port) for simulations that write no database (benchmarks, tests):
// same semantics as the SQL store — immutable id@version rows, same content is a no-op, other content a conflict.

import type {
  Announcement,
  PutOutcome,
  RegistryChange,
  RegistryPointer,
  RegistryStore,
  StoredMacro,
  StoredModel,
  StoredPolicy,
} from "../engine/index.js";

function merge(a: PutOutcome, b: PutOutcome): PutOutcome {
  if (a === "conflict" || b === "conflict") return "conflict";
  return a === "inserted" || b === "inserted" ? "inserted" : "exists";
}

export function memoryRegistryStore(): RegistryStore {
  const models = new Map<string, StoredModel>();
  const policies = new Map<string, StoredPolicy>();
  const macros = new Map<string, StoredMacro>();
  const announcements = new Map<string, Announcement>();
  const pointers = new Map<RegistryPointer, string>();

  const putVersioned = <T extends { document: unknown }>(
    map: Map<string, T>,
    key: string,
    row: T,
  ): PutOutcome => {
    const existing = map.get(key);
    if (existing === undefined) return "inserted";
    return JSON.stringify(existing.document) === JSON.stringify(row.document) ? "exists" : "conflict";
  };

  return {
    async getModel(modelId) {
      return models.get(modelId) ?? null;
    },
    async putModel(model) {
      const existing = models.get(model.modelId);
      if (existing) return existing.contentHash === model.contentHash ? "exists" : "conflict";
      models.set(model.modelId, model);
      return "inserted";
    },
    async listModels() {
      return [...models.values()].map(({ model: _model, ...rest }) => rest);
    },
    async getPolicy(policyId, version) {
      return policies.get(`${policyId}@${version}`) ?? null;
    },
    async listPolicies() {
      return [...policies.values()];
    },
    async getMacro(macroId, version) {
      return macros.get(`${macroId}@${version}`) ?? null;
    },
    async listMacros() {
      return [...macros.values()];
    },
    async getAnnouncement(announcementId) {
      return announcements.get(announcementId) ?? null;
    },
    async listAnnouncements() {
      return [...announcements.values()];
    },
    async getPointer(name) {
      return pointers.get(name) ?? null;
    },
    async publish(change: RegistryChange) {
      let outcome: PutOutcome = "exists";
      if (change.model) {
        const existing = models.get(change.model.modelId);
        outcome = merge(
          outcome,
          existing === undefined
            ? "inserted"
            : existing.contentHash === change.model.contentHash
              ? "exists"
              : "conflict",
        );
      }
      const policyKey = change.policy ? `${change.policy.policyId}@${change.policy.version}` : null;
      if (change.policy && policyKey)
        outcome = merge(outcome, putVersioned(policies, policyKey, change.policy));
      const macroKey = change.macro ? `${change.macro.macroId}@${change.macro.version}` : null;
      if (change.macro && macroKey) outcome = merge(outcome, putVersioned(macros, macroKey, change.macro));
      if (outcome === "conflict") return "conflict";
      if (change.model && !models.has(change.model.modelId)) models.set(change.model.modelId, change.model);
      if (change.policy && policyKey && !policies.has(policyKey)) policies.set(policyKey, change.policy);
      if (change.macro && macroKey && !macros.has(macroKey)) macros.set(macroKey, change.macro);
      const a = change.announcement;
      if (a && outcome === "inserted" && !announcements.has(a.announcementId))
        announcements.set(a.announcementId, a);
      for (const [name, value] of Object.entries(change.pointers ?? {}) as [RegistryPointer, string][]) {
        pointers.set(name, value);
      }
      return outcome;
    },
  };
}
