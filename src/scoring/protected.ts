// Which columns of a data set stand for a protected attribute (sex, marital status, age, ethnicity, religion,
// origin): by name, by the data set's own declaration, or named by the caller. Pure; names match by whole tokens.

/**
 * The column names that stand for a protected attribute, by attribute: each phrase is a run of whole tokens
 * that must appear in the column name in this order ("foreign worker" matches `foreign_worker` and
 * `isForeignWorker`, not `foreign_currency_spend`). Tokens, not substrings, so `usage`, `mortgage` and
 * `percentage` never match `age`, nor `trace_id` `race`.
 */
export const protectedNamePhrases: Readonly<Record<string, readonly string[]>> = {
  sex: ["sex", "gender", "male", "female"],
  marital_status: ["marital", "married", "marriage", "civil status", "personal status"],
  ethnicity: ["ethnicity", "ethnic", "race", "racial", "caste"],
  religion: ["religion", "religious"],
  origin: [
    "nationality",
    "citizenship",
    "citizen",
    "foreigner",
    "foreign worker",
    "foreign national",
    "immigrant",
    "immigration",
    "migrant",
    "birthplace",
    "national origin",
    "country of origin",
    "place of origin",
    "country of birth",
    "place of birth",
    "birth country",
    "birth place",
  ],
  // After origin, so that `country_of_birth` is reported as origin and `date_of_birth` as age.
  age: ["age", "aged", "dob", "yob", "birth", "birthdate", "birthday", "birthyear"],
};

/**
 * `age` next to one of these is the age of a thing, not of a person (`account_age`, `age_of_oldest_account`,
 * `credit_history_age`): those are ordinary credit characteristics, and leaving them out would cost the card
 * its strongest predictors for nothing.
 */
export const ageOfThingTokens: readonly string[] = [
  "account",
  "accounts",
  "loan",
  "loans",
  "credit",
  "card",
  "file",
  "history",
  "tradeline",
  "trade",
  "debt",
  "mortgage",
  "contract",
  "vehicle",
  "car",
  "property",
  "relationship",
  "oldest",
  "newest",
  "earliest",
  "latest",
];

export interface ProtectedColumn {
  readonly column: string;
  /** `declared`: the data set's sidecar names it; `flag`: the caller named it; `name`: its name matched. */
  readonly why: "name" | "declared" | "flag";
}

/** A column name as lower-case tokens: split on anything not a letter or digit, then on camelCase and digits. */
export function nameTokens(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z])([A-Z][a-z])/g, "$1 $2")
    .replace(/([a-zA-Z])([0-9])|([0-9])([a-zA-Z])/g, (_m, a, b, c, d) => `${a ?? c} ${b ?? d}`)
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((t) => t !== "");
}

function phraseAt(tokens: readonly string[], phrase: readonly string[]): number {
  for (let i = 0; i + phrase.length <= tokens.length; i++) {
    if (phrase.every((p, k) => tokens[i + k] === p)) return i;
  }
  return -1;
}

function isAgeOfThing(tokens: readonly string[], at: number): boolean {
  const before = tokens[at - 1];
  const after = tokens[at + 1] === "of" ? tokens[at + 2] : undefined;
  return [before, after].some((t) => t !== undefined && ageOfThingTokens.includes(t));
}

/** The protected attribute a column name stands for (a key of `protectedNamePhrases`), or null. */
export function protectedAttributeOf(name: string): string | null {
  const tokens = nameTokens(name);
  for (const [attribute, phrases] of Object.entries(protectedNamePhrases)) {
    for (const phrase of phrases) {
      const words = phrase.split(" ");
      const at = phraseAt(tokens, words);
      if (at < 0) continue;
      if (phrase === "age" && isAgeOfThing(tokens, at)) continue;
      return attribute;
    }
  }
  return null;
}

/**
 * The header's protected columns, in header order. A column the data set declares is reported `declared`,
 * else one the caller adds `flag`, else one whose name matches `name`: the explicit statement wins over the
 * guess. Names in `declared` or `added` that are not in the header are the caller's to refuse; ignored here.
 */
export function protectedColumnsOf(
  header: readonly string[],
  declared: readonly string[],
  added: readonly string[],
): ProtectedColumn[] {
  const out: ProtectedColumn[] = [];
  for (const column of header) {
    if (declared.includes(column)) out.push({ column, why: "declared" });
    else if (added.includes(column)) out.push({ column, why: "flag" });
    else if (protectedAttributeOf(column) !== null) out.push({ column, why: "name" });
  }
  return out;
}
