import { build, type BuildOptions, type Metafile } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

/**
 * `npm run build:widget`, into client-widget/dist/:
 * - roomcast.mjs (ESM) and roomcast.iife.js (a `<script>` tag, `window.Roomcast`): SDK and Web
 *   Components with msgpackr inside;
 * - roomcast-sdk.mjs: the SDK alone, for the web;
 * - miniprogram/roomcast-sdk.js: the SDK as CommonJS for a mini-program (`require`): nothing in it
 *   needs a browser or Node global or generates code from strings (a mini-program forbids both);
 *   with the mini-program components beside it (miniprogram/components/, which require it);
 * - console/console.js: the host console's page (served at /console/);
 * each with its sourcemap; THIRD-PARTY-NOTICES.txt with the licence of everything bundled
 * (minifying strips their comments); types/ (`.d.ts`). Prints each bundle's gzipped size, and copies
 * the mini-program files into the example mini-program (examples/miniprogram/roomcast/).
 * client-widget/package.json's `exports` name them.
 */
const here = fileURLToPath(new URL('.', import.meta.url));
const require = createRequire(import.meta.url);

export interface Bundle {
  entry: string;
  out: string;
  format: 'esm' | 'iife' | 'cjs';
  globalName?: string;
  /** For a mini-program's JS realm. */
  miniprogram?: boolean;
}

export const bundles: Bundle[] = [
  { entry: 'src/widget.ts', out: 'roomcast.mjs', format: 'esm' },
  { entry: 'src/widget.ts', out: 'roomcast.iife.js', format: 'iife', globalName: 'Roomcast' },
  { entry: 'src/index.ts', out: 'roomcast-sdk.mjs', format: 'esm' },
  { entry: 'src/miniprogram.ts', out: 'miniprogram/roomcast-sdk.js', format: 'cjs', miniprogram: true },
  // The host console's page script (/console/, server/live-ops/console): served from here in production.
  { entry: 'src/console/main.ts', out: 'console/console.js', format: 'esm' },
];

/** The folder of an installed package (its `exports` may not list package.json). */
function packageDir(name: string): string {
  let dir = dirname(require.resolve(name));
  while (!existsSync(join(dir, 'package.json')) || (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string }).name !== name) dir = dirname(dir);
  return dir;
}

/** Builds one bundle into `outDir` (dist/ by default); answers its bytes and the packages in it. */
export async function buildBundle(bundle: Bundle, outDir = join(here, 'dist')): Promise<{ bytes: Buffer; packages: string[] }> {
  const outfile = join(outDir, bundle.out);
  const options: BuildOptions = {
    entryPoints: [join(here, bundle.entry)], outfile, bundle: true, minify: true, sourcemap: true, metafile: true,
    format: bundle.format, target: bundle.miniprogram ? 'es2017' : 'es2020', platform: bundle.miniprogram ? 'neutral' : 'browser',
    legalComments: 'none', logLevel: 'warning',
    ...(bundle.globalName ? { globalName: bundle.globalName } : {}),
  };
  const result = await build(options);
  return { bytes: readFileSync(outfile), packages: packagesIn(result.metafile!) };
}

/** The folders of the npm packages a bundle took code from. */
function packagesIn(metafile: Metafile): string[] {
  const dirs = Object.keys(metafile.inputs).flatMap((input) => /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1] ?? []);
  return [...new Set(dirs)].sort();
}

/** Each bundled package's name, version and licence text, from its folder. */
export function notices(packageDirs: string[]): string {
  return packageDirs.map((input) => {
    const dir = join(process.cwd(), input);
    const { name, version, license } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; version: string; license?: string };
    const file = readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
    return `${name} ${version} (${license ?? 'see below'})\n\n${file ? readFileSync(join(dir, file), 'utf8').trim() : '(no licence file in the package)'}\n`;
  }).join('\n---\n\n');
}

/**
 * Every bundle, the notices and the types (`dist/types`, `.d.ts` from tsc, their relative imports
 * pointing at `.js` so any TypeScript resolves them) into `outDir`; answers each bundle's bytes.
 */
export async function buildAll(outDir = join(here, 'dist')): Promise<Map<string, Buffer>> {
  for (const dir of ['miniprogram', 'console']) mkdirSync(join(outDir, dir), { recursive: true });
  const sizes = new Map<string, Buffer>();
  const bundled = new Set<string>();
  for (const bundle of bundles) {
    const { bytes, packages } = await buildBundle(bundle, outDir);
    packages.forEach((p) => bundled.add(p));
    sizes.set(bundle.out, bytes);
  }
  const text = bundled.size
    ? `Roomcast's widget bundles include the following packages.\n\n${notices([...bundled].sort())}`
    : "Roomcast's widget bundles include no third-party code: the SDK's msgpack is its own (src/sdk/msgpack.ts).\n";
  writeFileSync(join(outDir, 'THIRD-PARTY-NOTICES.txt'), text);
  writeFileSync(join(outDir, 'miniprogram', 'THIRD-PARTY-NOTICES.txt'), text);
  // The package is ESM (type: module); the mini-program files are CommonJS, and say so to Node.
  writeFileSync(join(outDir, 'miniprogram', 'package.json'), `${JSON.stringify({ type: 'commonjs' })}\n`);
  cpSync(join(here, 'miniprogram', 'components'), join(outDir, 'miniprogram', 'components'), { recursive: true });
  emitTypes(join(outDir, 'types'));
  return sizes;
}

/** The example mini-program takes the SDK and components as a developer's would: copied into its own folder (roomcast/). */
export function copyIntoExample(outDir = join(here, 'dist'), example = join(here, 'examples', 'miniprogram')): void {
  cpSync(join(outDir, 'miniprogram'), join(example, 'roomcast'), { recursive: true });
}

function emitTypes(outDir: string): void {
  const tsc = join(packageDir('typescript'), 'bin', 'tsc');
  execFileSync(process.execPath, [tsc, '-p', join(here, 'tsconfig.json'), '--noEmit', 'false', '--declaration', '--emitDeclarationOnly', '--outDir', outDir, '--rootDir', join(here, '..')], { stdio: 'inherit' });
  for (const file of walk(outDir)) {
    if (file.endsWith('.d.ts')) writeFileSync(file, readFileSync(file, 'utf8').replace(/(from\s+['"]\.{1,2}\/[^'"]*?)\.ts(['"])/g, '$1.js$2').replace(/(import\(['"]\.{1,2}\/[^'"]*?)\.ts(['"]\))/g, '$1.js$2'));
  }
}

function* walk(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else yield path;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const [out, bytes] of await buildAll()) console.log(`${out}: ${(bytes.length / 1024).toFixed(1)} KB, ${(gzipSync(bytes).length / 1024).toFixed(1)} KB gzipped`);
  copyIntoExample();
  console.log('examples/miniprogram/roomcast/: the mini-program SDK and components, for WeChat DevTools');
}
