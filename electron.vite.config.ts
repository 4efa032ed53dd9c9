// One build for the three parts of the desktop app (electron-vite): main (Node, ESM), preload
// (one CommonJS file, so it runs with sandbox: true) and the renderer (Vue). The headless host
// serves the same out/renderer. `electron-vite build` needs no Electron binary.
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'electron-vite';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // The engine's native addons (crc32, snappy, lz4, zstd) load from node_modules at run time.
      externalizeDeps: true,
      sourcemap: true,
      // A second entry: the message browser's worker thread, emitted as out/main/browse-worker.js
      // next to index.js, where src/headless/services/browse-host.ts looks for it.
      rolldownOptions: {
        input: { index: 'src/main/index.ts', 'browse-worker': 'src/headless/browse-worker.ts' },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      externalizeDeps: false,
      rolldownOptions: {
        output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
      },
    },
  },
  renderer: {
    root: 'src/renderer',
    plugins: [vue()],
    define: {
      // Vue and vue-i18n compile-time flags: no Options API, no legacy i18n API, no devtools hooks.
      __VUE_OPTIONS_API__: 'false',
      __VUE_PROD_DEVTOOLS__: 'false',
      __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
      __VUE_I18N_FULL_INSTALL__: 'true',
      __VUE_I18N_LEGACY_API__: 'false',
      __INTLIFY_PROD_DEVTOOLS__: 'false',
    },
    build: {
      outDir: 'out/renderer',
      // electron-vite leaves bundles unminified by default; the page's 4 MB script was a third of
      // the time to the first live data (docs/benchmarks-ui.md).
      minify: true,
      // One bundle is right for a local app (no network between page and assets); it is ~1.9 MB.
      chunkSizeWarningLimit: 2500,
      // Everything is bundled; nothing is fetched from a CDN.
      assetsInlineLimit: 0,
      sourcemap: true,
      // On a busy two-core machine the Vue transform is "slow"; that is not worth a warning per build.
      rolldownOptions: { checks: { bundlerTimings: false } },
    },
  },
});
