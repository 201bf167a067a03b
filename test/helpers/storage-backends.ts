// The databases behind `openStorage`, for suites that run the same tests on each (style §10):
// SQLite in a temporary folder, and PostgreSQL on a server started from the machine's binaries.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Settings } from "../../src/settings.ts";
import { startPostgres } from "./postgres-server.ts";

export type StorageSettings = Pick<Settings, "dataDir" | "databaseUrl">;

export interface Backend {
  name: string;
  /** Starts what the database needs: `fresh` gives the settings of a new, empty database. */
  start(): Promise<{ fresh(): Promise<StorageSettings>; stop(): Promise<void> }>;
}

export const BACKENDS: Backend[] = [
  {
    name: "SQLite",
    async start() {
      const root = fs.mkdtempSync(path.join(os.tmpdir(), "lgt-conformance-"));
      let n = 0;
      return {
        fresh: async () => ({ dataDir: path.join(root, String(++n)), databaseUrl: undefined }),
        stop: async () => fs.rmSync(root, { recursive: true, force: true }),
      };
    },
  },
  {
    name: "PostgreSQL",
    async start() {
      const server = await startPostgres();
      // No data folder: PostgreSQL storage must not need one.
      return {
        fresh: async () => ({ dataDir: "/nonexistent/lgt-data", databaseUrl: await server.createDatabase() }),
        stop: () => server.stop(),
      };
    },
  },
];
