// `npm run test:fuzz`: the API's OpenAPI document and a property-based fuzz run against it
// (schemathesis; install with `python3 -m pip install -r test/fuzz/requirements.txt`).
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/fuzz/**/*.test.ts"],
    globalSetup: ["test/helpers/temporal-global-setup.ts"],
    testTimeout: 420_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
