import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Compiles .vue files for the renderer's component tests (tests/unit/ui); they pick a DOM per file.
  plugins: [vue()],
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Interop suites start real servers and real clients; the machine has two cores.
    fileParallelism: true,
    maxWorkers: 2,
    reporters: process.env.EDDY_TEST_SUMMARY
      ? ['default', ['json', { outputFile: process.env.EDDY_TEST_SUMMARY }]]
      : ['default'],
  },
});
