// `npm run test:fuzz`: the API's OpenAPI document and a property-based fuzz run against it
// (schemathesis, pinned in test/fuzz/requirements.txt, in a venv the test creates in the user cache).
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/fuzz/**/*.test.ts"],
    globalSetup: ["test/helpers/temporal-global-setup.ts"],
    setupFiles: ["test/helpers/no-model-keys.ts"],
    testTimeout: 420_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
