// The fault suite (`npm run test:faults`): real worker, API and Temporal processes killed and
// restarted on loopback. Kept apart from `npm test` because it takes minutes, not seconds.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/faults/**/*.test.ts"],
    globalSetup: ["test/helpers/temporal-global-setup.ts", "test/faults/summary-global-setup.ts"],
    setupFiles: ["test/helpers/no-model-keys.ts"],
    testTimeout: 240_000,
    hookTimeout: 120_000,
    // Each file kills and starts processes: one file at a time on 2 cores.
    fileParallelism: false,
  },
});
