import { build, type BuildOptions } from 'esbuild';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

/**
 * `npm run build:widget`: client-widget/dist/roomcast.mjs (ESM) and roomcast.iife.js (a `<script>`
 * tag, `window.Roomcast`), SDK and components with msgpackr inside, plus roomcast-sdk.mjs (the SDK
 * alone); prints each one's gzipped size.
 */
const here = fileURLToPath(new URL('.', import.meta.url));
const common: BuildOptions = { bundle: true, minify: true, platform: 'browser', target: 'es2020', legalComments: 'none', logLevel: 'warning' };

const outputs = [
  { entry: 'src/widget.ts', out: 'dist/roomcast.mjs', format: 'esm' as const },
  { entry: 'src/widget.ts', out: 'dist/roomcast.iife.js', format: 'iife' as const, globalName: 'Roomcast' },
  { entry: 'src/index.ts', out: 'dist/roomcast-sdk.mjs', format: 'esm' as const },
];

for (const { entry, out, format, globalName } of outputs) {
  await build({ ...common, entryPoints: [here + entry], outfile: here + out, format, ...(globalName ? { globalName } : {}) });
  const bytes = readFileSync(here + out);
  console.log(`${out}: ${(bytes.length / 1024).toFixed(1)} KB, ${(gzipSync(bytes).length / 1024).toFixed(1)} KB gzipped`);
}
