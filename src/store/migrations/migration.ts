// A schema migration: a stable name ("NNN-<domain>") and the DDL for each dialect. Applied once, in list order.

export interface Migration {
  /** "NNN-<domain>", unique; recorded in schema_migrations. Never rename or edit one that has shipped. */
  readonly name: string;
  readonly sqlite: string;
  readonly postgres: string;
}
