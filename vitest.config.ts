import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The fault suite, the fuzz run, the browser test, the adoption test, the differential suite
    // and the cluster test have their own configs and scripts.
    exclude: [...configDefaults.exclude, "test/faults/**", "test/fuzz/**", "test/ui/**", "test/adoption/**", "test/differential/**", "test/cluster/**"],
    globalSetup: ["test/helpers/temporal-global-setup.ts"],
    setupFiles: ["test/helpers/no-model-keys.ts"],
    // Real servers and workers: generous timeouts, and files one at a time on 2 cores.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
