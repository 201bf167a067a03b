// Makes every stack that a test file starts use a fresh PostgreSQL database, on a server
// started for the file and stopped after it. Call at the top level, before registering tests.
import { afterAll } from "vitest";
import { startPostgres } from "./postgres-server.ts";

/** Returns the database's URL, which startStack() finds in the process environment. */
export async function stacksOnPostgres(): Promise<string> {
  const server = await startPostgres();
  // Registered before the suite's own hooks, so it runs after them: the stacks stop first.
  afterAll(() => server.stop());
  const databaseUrl = await server.createDatabase();
  process.env.DATABASE_URL = databaseUrl;
  return databaseUrl;
}
