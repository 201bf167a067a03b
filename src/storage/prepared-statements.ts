// One prepared statement per SQL text for a better-sqlite3 connection.
import type BetterSqlite3 from "better-sqlite3";

/** Enough for every query the server and LangGraph's checkpointer send; others are prepared again. */
const PREPARED_STATEMENTS_KEPT = 256;

/**
 * Kysely and LangGraph's SQLite checkpointer prepare every statement they run, each time (≈ 25
 * per run; compiling their SQL was about a twentieth of the server process's CPU per run).
 * Statements are reusable, and better-sqlite3 runs them synchronously, so one prepared
 * statement per SQL text serves every caller, unless it is mid-iteration (`busy`): that caller
 * keeps it and the next one gets a new one. The most recently used `kept` are kept.
 */
export function reusePreparedStatements(db: BetterSqlite3.Database, kept = PREPARED_STATEMENTS_KEPT): void {
  const prepare = db.prepare.bind(db);
  const statements = new Map<string, BetterSqlite3.Statement>();
  db.prepare = ((sql: string) => {
    const statement = statements.get(sql);
    statements.delete(sql); // re-inserted below: a Map keeps insertion order, oldest first
    if (statement && !statement.busy) {
      statements.set(sql, statement);
      return statement;
    }
    const prepared = prepare(sql);
    statements.set(sql, prepared);
    if (statements.size > kept) statements.delete(statements.keys().next().value!);
    return prepared;
  }) as typeof db.prepare;
}
