// What an authorization handler may return to narrow what a caller sees (LangGraph Platform's
// filter language): `{key: value}` or `{key: {$eq: value}}` (metadata[key] equals value) and
// `{key: {$contains: value | value[]}}` (metadata[key] is an array holding every value).
// Values are JSON scalars. Storage turns these into SQL (src/storage/auth-filter-sql.ts).

export type FilterScalar = string | number | boolean | null;

export type AuthCondition =
  | { key: string; op: "eq"; value: FilterScalar }
  | { key: string; op: "contains"; values: FilterScalar[] };

/** Filters ANDed together; undefined means the caller sees everything. */
export type AuthFilters = readonly AuthCondition[];

const isScalar = (value: unknown): value is FilterScalar =>
  value === null || ["string", "number", "boolean"].includes(typeof value);

/**
 * A handler's filter object as conditions. An operator we do not know is refused rather than
 * ignored (the JS server ignores it): a filter the developer wrote must never widen access.
 */
export function parseAuthFilters(raw: Record<string, unknown>): AuthFilters {
  return Object.entries(raw).map(([key, value]): AuthCondition => {
    // SQLite reads `$…` as a JSON path and cannot name a key holding `"`: refused on every database alike.
    if (key.startsWith("$") || key.includes('"')) throw new Error(`Auth handler returned a filter on "${key}"; metadata keys in filters must not start with $ or hold a double quote`);
    if (isScalar(value)) return { key, op: "eq", value };
    if (typeof value === "object" && !Array.isArray(value)) {
      const operators = Object.keys(value);
      if (operators.length === 1 && operators[0] === "$eq" && isScalar((value as { $eq: unknown }).$eq)) {
        return { key, op: "eq", value: (value as { $eq: FilterScalar }).$eq };
      }
      const contained = (value as { $contains?: unknown }).$contains;
      const values = Array.isArray(contained) ? contained : [contained];
      if (operators.length === 1 && operators[0] === "$contains" && values.every(isScalar)) return { key, op: "contains", values };
    }
    throw new Error(`Auth handler returned an unsupported filter for "${key}": ${JSON.stringify(value)} (use a JSON scalar, {"$eq": …} or {"$contains": …})`);
  });
}

/**
 * Whether a document (e.g. a store item as `{...value, namespace, key}`) satisfies every
 * condition, with the JS server's `isAuthMatching` semantics; for what is not in SQL.
 */
export function satisfiesAuthFilters(document: Record<string, unknown>, filters: AuthFilters | undefined): boolean {
  return (filters ?? []).every((condition) => {
    const field = document[condition.key];
    if (condition.op === "eq") return field === condition.value;
    return Array.isArray(field) && condition.values.every((value) => field.includes(value));
  });
}
