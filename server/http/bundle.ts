import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

/**
 * A browser bundle for a page the server serves: the built file when `npm run build` made one (the
 * production image has it; esbuild, a dev dependency, is not there), else bundled from `entry` with
 * esbuild on first request (development), once; a failed build is tried again on the next request.
 */
export function servedBundle(entry: string, built?: string): () => Promise<string> {
  let bundle: Promise<string> | undefined;
  const make = async (): Promise<string> => {
    if (built && existsSync(built)) return readFile(built, 'utf8');
    const { build } = await import('esbuild');
    const result = await build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'browser', target: 'es2020', write: false, logLevel: 'silent' });
    return result.outputFiles[0]!.text;
  };
  return () => (bundle ??= make().catch((err: unknown) => {
    bundle = undefined;
    throw err;
  }));
}
