// Each logged event records its source (see src/events/sources.ts): `lending`, `engine`, `import`, `sim` or
// `<role>:<keyId>` for an API key. Rows logged before this migration keep NULL: their source was not recorded.
// Lending events written from now on carry ids under the reserved `sys:` prefix; older ones keep their ids
// (renaming them would change the ids webhook receivers already hold).

import type { Migration } from "./migration.js";

const ddl = `ALTER TABLE events ADD COLUMN source TEXT;`;

export const eventSourcesMigration: Migration = {
  name: "019-event-sources",
  sqlite: ddl,
  postgres: ddl,
};
