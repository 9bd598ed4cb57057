import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 240_000,
    pool: "forks",
    globalSetup: ["test/helpers/tmp-root.ts"],
    // The CLI's cache is on by default; tests that are about it turn it back on themselves.
    env: { SNAG_NO_CACHE: "1" },
  },
});
