// Auth filters (src/auth/auth-filters.ts) as a SQL condition on a JSON text column, so a search
// or a lookup returns only what the caller may see without loading anything else (issue 13).
// JSON columns are text on both dialects; SQLite reads them with `->`, PostgreSQL as jsonb.
import { type Expression, type Kysely, PostgresAdapter, type RawBuilder, sql, type SqlBool } from "kysely";
import type { AuthCondition, AuthFilters, FilterScalar } from "../auth/auth-filters.ts";

export type JsonColumn = "threads.metadata" | "assistants.metadata" | "crons.metadata";

/** True when every condition holds on `column`; undefined filters (no auth) match everything. */
export function matchesAuthFilters(db: Pick<Kysely<object>, "getExecutor">, column: JsonColumn, filters: AuthFilters | undefined): Expression<SqlBool> {
  const conditions = (filters ?? []).map((condition) =>
    db.getExecutor().adapter instanceof PostgresAdapter ? postgresCondition(column, condition) : sqliteCondition(column, condition),
  );
  return conditions.length === 0 ? sql<SqlBool>`1 = 1` : sql<SqlBool>`(${sql.join(conditions, sql` and `)})`;
}

function postgresCondition(column: JsonColumn, condition: AuthCondition): RawBuilder<SqlBool> {
  const field = sql`(${sql.ref(column)}::jsonb -> ${condition.key}::text)`;
  if (condition.op === "eq") return sql<SqlBool>`${field} = ${JSON.stringify(condition.value)}::jsonb`;
  // Containment of an array of scalars is element equality (jsonb `@>`), as the JS server's `includes`.
  return sql<SqlBool>`(jsonb_typeof(${field}) = 'array' and ${field} @> ${JSON.stringify(condition.values)}::jsonb)`;
}

function sqliteCondition(column: JsonColumn, condition: AuthCondition): RawBuilder<SqlBool> {
  // `->` with a label reads that key; the JSON text it returns is compared with the wanted JSON.
  const field = sql`(${sql.ref(column)} -> ${condition.key})`;
  if (condition.op === "eq") return sql<SqlBool>`${field} = ${JSON.stringify(condition.value)}`;
  const each = condition.values.map(
    (value) => sql<SqlBool>`exists (select 1 from json_each(${field}) as item where ${sqliteItemIs(value)})`,
  );
  return sql<SqlBool>`(${sql.join([sql`json_type(${field}) = 'array'`, ...each], sql` and `)})`;
}

/** An element of json_each equal to a JSON scalar, by type and value. */
function sqliteItemIs(value: FilterScalar): RawBuilder<SqlBool> {
  if (value === null) return sql<SqlBool>`item.type = 'null'`;
  if (typeof value === "boolean") return sql<SqlBool>`item.type = ${value ? "true" : "false"}`;
  if (typeof value === "number") return sql<SqlBool>`item.type in ('integer', 'real') and item.value = ${value}`;
  return sql<SqlBool>`item.type = 'text' and item.value = ${value}`;
}
