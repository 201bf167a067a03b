// The differential suite (`npm run test:differential`, issue 12): each scenario runs against the
// official in-memory server (@langchain/langgraph-api, the oracle) and against ours, on the same
// graphs, and their answers must match once ids and times are normalised.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/differential/**/*.test.ts"],
    globalSetup: ["test/helpers/temporal-global-setup.ts", "test/differential/reference-global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
