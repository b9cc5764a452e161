// What differs between SQLite and PostgreSQL, in one place: every statement the store writes is portable
// SQL with `?` placeholders, and asks the transaction's dialect for the few fragments that are not (row
// locks, JSON access and aggregation, an UPDATE from a VALUES list, byte-order collation, the migration
// lock). Callers never branch on the dialect's name for SQL.

/** The two databases the store runs on. */
export type Dialect = "sqlite" | "postgres";

/** What a JSON path yields: text, a double, an integer, or the JSON value itself as text. */
export type JsonAs = "text" | "number" | "integer" | "json";

/** An `UPDATE … FROM (VALUES …)`: `set` and `where` name the VALUES list's columns by `columns`. */
export interface UpdateFromValues {
  readonly table: string;
  /** The VALUES list's columns, in parameter order, each with the SQL type PostgreSQL compares it as. */
  readonly columns: readonly { readonly name: string; readonly type: "text" | "bigint" | "integer" }[];
  readonly rows: number;
  /** `SET` assignments; write `v.<column>` for a VALUES column. */
  readonly set: string;
  /** The join condition; write `v.<column>` for a VALUES column. */
  readonly where: string;
}

export interface SqlDialect {
  readonly name: Dialect;
  /** Suffix of a SELECT that locks the rows it reads (SQLite's write transaction already holds the file). */
  readonly forUpdate: string;
  /** Suffix of a SELECT that locks the rows it reads and skips rows another transaction holds. */
  readonly forUpdateSkipLocked: string;
  /** `expr` ordered by bytes, as SQLite orders text (PostgreSQL's default collation is the locale's). */
  binary(expr: string): string;
  /** The value at `path` (object keys and array positions) inside the JSON text `column`. */
  json(column: string, path: readonly (string | number)[], as: JsonAs): string;
  /** A JSON array, as text, of one JSON array of `items` per row of a group, in `orderBy` order. */
  jsonArrayAgg(items: readonly string[], orderBy: string): string;
  /** A FROM item yielding one row (`value`, text) per element of the JSON array of strings in `expr`. */
  jsonEachText(expr: string, alias: string): string;
  /** The JSON text `expr` read as JSON by an aggregate (SQLite: `json(expr)`). */
  jsonParse(expr: string): string;
  /** The statement of an UPDATE that takes its rows from a VALUES list. */
  updateFromValues(update: UpdateFromValues): string;
  /** A statement that holds a transaction-scoped lock named by `key` (none where the writer is alone). */
  transactionLock(key: number): string | null;
  /**
   * Whether a write transaction holds the whole database (SQLite): then the rows it adds are exactly those
   * above the largest sequence number seen when it began, and a count of changed rows says what is new.
   */
  readonly serialWriter: boolean;
  /** A clause that locks the selected rows in `expr` order (so writers never deadlock), or "". */
  lockInOrder(expr: string): string;
  /**
   * A query of `?` new values of `table`'s identity `column` (`AS s`, ascending), or null where the
   * identity is the largest value + 1 (a serial writer).
   */
  reserveIdentities(table: string, column: string): string | null;
  /** The order rows were inserted in where the table keeps one (SQLite's rowid), else `fallback`. */
  insertionOrder(fallback: string): string;
  /** A statement that sizes this connection's page cache for a bulk job, or null. */
  cacheSize(kib: number): string | null;
  /** A JSON array, as text, of the values at two or more `paths` inside the JSON text `column` (null where absent). */
  jsonValues(column: string, paths: readonly (readonly (string | number)[])[]): string;
}

/** `?, ?, …` — `count` placeholders. */
export function placeholders(count: number): string {
  return Array.from({ length: count }, () => "?").join(", ");
}

/** `(?, ?), (?, ?), …` — a VALUES list of `rows` rows of `columns` placeholders. */
export function valuesList(rows: number, columns: number): string {
  const one = `(${placeholders(columns)})`;
  return Array.from({ length: rows }, () => one).join(", ");
}

/** `v.<name>` as a whole word in a SET or WHERE fragment. */
function columnRef(name: string): RegExp {
  return new RegExp(`\\bv\\.${name}\\b`, "g");
}

function sqlitePath(path: readonly (string | number)[]): string {
  return `'$${path.map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`)).join("")}'`;
}

export const sqliteDialect: SqlDialect = {
  name: "sqlite",
  forUpdate: "",
  forUpdateSkipLocked: "",
  binary: (expr) => expr,
  json(column, path, as) {
    const value = `json_extract(${column}, ${sqlitePath(path)})`;
    if (as === "integer") return `CAST(${value} AS INTEGER)`;
    if (as === "json") return `json_extract(${column}, ${sqlitePath(path)})`;
    return value;
  },
  jsonArrayAgg: (items) => `json_group_array(json_array(${items.join(", ")}))`,
  jsonEachText: (expr, alias) => `json_each(${expr}) ${alias}`,
  jsonParse: (expr) => `json(${expr})`,
  updateFromValues(u) {
    // SQLite names a VALUES list's columns column1, column2, …
    const rename = (text: string) =>
      u.columns.reduce((t, c, i) => t.replace(columnRef(c.name), `v.column${i + 1}`), text);
    return `UPDATE ${u.table} SET ${rename(u.set)} FROM (VALUES ${valuesList(u.rows, u.columns.length)}) AS v
      WHERE ${rename(u.where)}`;
  },
  transactionLock: () => null,
  serialWriter: true,
  lockInOrder: () => "",
  reserveIdentities: () => null,
  insertionOrder: () => "rowid",
  cacheSize: (kib) => `PRAGMA cache_size = -${kib}`,
  // json_extract with several paths returns their values as one JSON array (with one, the value itself).
  jsonValues: (column, paths) => `json_extract(${column}, ${paths.map(sqlitePath).join(", ")})`,
};

function postgresPath(path: readonly (string | number)[]): string {
  return `'{${path.join(",")}}'`;
}

export const postgresDialect: SqlDialect = {
  name: "postgres",
  forUpdate: " FOR UPDATE",
  forUpdateSkipLocked: " FOR UPDATE SKIP LOCKED",
  binary: (expr) => `${expr} COLLATE "C"`,
  json(column, path, as) {
    if (as === "json") return `(${column}::json #> ${postgresPath(path)})::text`;
    const text = `(${column}::json #>> ${postgresPath(path)})`;
    if (as === "number") return `${text}::double precision`;
    if (as === "integer") return `CAST(${text} AS INTEGER)`;
    return text;
  },
  jsonArrayAgg: (items, orderBy) =>
    `json_agg(json_build_array(${items.join(", ")}) ORDER BY ${orderBy})::text`,
  jsonEachText: (expr, alias) => `json_array_elements_text(${expr}::json) AS ${alias}(value)`,
  jsonParse: (expr) => `${expr}::json`,
  updateFromValues(u) {
    // PostgreSQL takes the VALUES list's column names, and types for comparisons and assignments.
    const names = u.columns.map((c) => c.name).join(", ");
    const cast = (text: string) =>
      u.columns.reduce(
        (t, c) => (c.type === "text" ? t : t.replace(columnRef(c.name), `v.${c.name}::${c.type}`)),
        text,
      );
    return `UPDATE ${u.table} SET ${cast(u.set)} FROM (VALUES ${valuesList(u.rows, u.columns.length)}) AS v(${names})
      WHERE ${cast(u.where)}`;
  },
  transactionLock: () => "SELECT pg_advisory_xact_lock(?)",
  serialWriter: false,
  lockInOrder: (expr) => `ORDER BY ${expr} COLLATE "C" FOR UPDATE`,
  reserveIdentities: (table, column) =>
    `SELECT nextval(pg_get_serial_sequence('${table}', '${column}')) AS s FROM generate_series(1, ?) ORDER BY s`,
  insertionOrder: (fallback) => fallback,
  cacheSize: () => null,
  // The text parsed once per row, not once per path.
  jsonValues: (column, paths) =>
    `(SELECT json_build_array(${paths.map((p) => `j #> ${postgresPath(p)}`).join(", ")})::text FROM (SELECT ${column}::json AS j) AS p)`,
};
