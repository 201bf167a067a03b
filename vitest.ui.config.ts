// `npm run test:ui`: the Temporal Web UI as an operator uses it, in headless Chromium
// (Debian's `chromium` package at /usr/bin/chromium, or CHROMIUM_PATH).
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/ui/**/*.test.ts"],
    globalSetup: ["test/ui/ui-global-setup.ts"],
    setupFiles: ["test/helpers/no-model-keys.ts"],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
