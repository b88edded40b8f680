// The explorer's bundle (docs/explorer.md): `npm run build` writes it to dist/explorer, which the API
// serves at /explore. JSX goes through Vite's built-in Oxc transform (automatic runtime); no CDN, no plugin.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: '/explore/',
  publicDir: 'public',
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/explorer', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 700,
  },
  logLevel: 'warn',
});
