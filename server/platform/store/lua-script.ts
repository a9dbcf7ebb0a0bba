import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkScript } from './lua-check.ts';

/** A Lua script as both stores run it. */
export interface LuaScript {
  /** Its path under server/ without the key count (`commerce/flash-sale/buy`): unique, and where to find it. */
  readonly name: string;
  readonly numberOfKeys: number;
  /** The body, includes resolved. */
  readonly source: string;
  readonly sha: string;
}

const serverDir = fileURLToPath(new URL('../../', import.meta.url));

/**
 * A script file `<name>-<numberOfKeys>.lua` with its KEYS/ARGV header, as BullMQ lays them out.
 * A line `--- @include "<path under server/, no .lua>"` is replaced by that fragment (its own
 * includes resolved, each fragment once), so shared Lua (request idempotency, order indexing, a
 * decision that a batch script repeats per request) is written once.
 *
 * Checked when the module that declares it loads (lua-check.ts), so a script that could not run
 * alike on Redis and on the embedded store fails the start of the node, never the first tap of a live.
 */
export function luaScript(url: URL): LuaScript {
  const file = fileURLToPath(url);
  const match = /^(.+)-(\d+)\.lua$/.exec(basename(file));
  if (!match) throw new Error(`lua script ${file} must be named <name>-<numberOfKeys>.lua`);
  const name = `${relative(serverDir, dirname(file))}/${match[1]}`;
  const script = luaScriptFrom(name, Number(match[2]), withIncludes(readFileSync(file, 'utf8'), file));
  loaded.set(name, script);
  return script;
}

const loaded = new Map<string, LuaScript>();

/** Every script file the modules loaded so far declare (a test runs each of them on a Redis Cluster). */
export function loadedScripts(): LuaScript[] {
  return [...loaded.values()];
}

/** A script from its text (includes already resolved), checked as luaScript() checks files. */
export function luaScriptFrom(name: string, numberOfKeys: number, source: string): LuaScript {
  checkScript(name, source);
  return { name, numberOfKeys, source, sha: createHash('sha1').update(source).digest('hex') };
}

/** Includes resolved, fragments' own included; each fragment once (the first place it is named). */
function withIncludes(lua: string, file: string, included = new Set<string>()): string {
  return lua.replace(/^--- @include "([\w/.-]+)"$/gm, (_, path: string) => {
    if (included.has(path)) return '';
    included.add(path);
    let fragment: string;
    try {
      fragment = readFileSync(`${serverDir}${path}.lua`, 'utf8');
    } catch (err) {
      throw new Error(`lua script ${file}: cannot include "${path}" (a path under server/, without .lua)`, { cause: err });
    }
    return withIncludes(fragment, file, included);
  });
}
