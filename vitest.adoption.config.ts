// The adoption test (`npm run test:adoption`, issue 17): packs the package, installs it into
// fresh projects from the npm registry (or npm's cache) and serves them. Kept apart from
// `npm test` because installs take minutes and need the registry.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/adoption/**/*.test.ts"],
    globalSetup: ["test/helpers/temporal-global-setup.ts"],
    testTimeout: 300_000,
    hookTimeout: 960_000,
    fileParallelism: false,
  },
});
