// The cluster suite (`npm run test:cluster`, issue 16): a multi-service Temporal server on
// PostgreSQL, two API and three worker processes, under faults. Minutes, not seconds: kept
// apart from `npm test`; its fault ledger prints the fault suite's summary table.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/cluster/**/*.test.ts"],
    globalSetup: ["test/faults/summary-global-setup.ts"],
    testTimeout: 900_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
