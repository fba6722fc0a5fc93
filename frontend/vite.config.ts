import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

// main.go embeds frontend/dist, which must hold a file on a fresh clone: the
// committed dist/.gitkeep. Vite empties dist before each build, so put it back.
function keepDistPlaceholder(): Plugin {
  let outDir = 'dist';
  return {
    name: 'keep-dist-placeholder',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      writeFileSync(resolve(outDir, '.gitkeep'), '');
    },
  };
}

export default defineConfig({
  plugins: [svelte(), keepDistPlaceholder()],
  // Component tests mount Svelte's browser build (in jsdom).
  resolve: process.env.VITEST ? { conditions: ['browser'] } : undefined,
  server: {
    // The header shows the app icon from ../build, outside the frontend root.
    fs: { allow: ['.', '../build'] },
  },
  build: {
    // WebKitGTK 2.40+ and WebView2 both run ES2022.
    target: 'es2022',
    chunkSizeWarningLimit: 1024,
  },
  test: {
    include: ['src/**/*.test.ts'],
    // Stores and logic run in node; component tests ask for jsdom in a
    // file comment. Times are shown in the tests' own time zone.
    environment: 'node',
    env: { TZ: 'UTC' },
  },
});
