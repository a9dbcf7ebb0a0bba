import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { commandFor } from './embedded/commands.ts';
import { LuaVm } from './embedded/lua-vm.ts';

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
/** Library functions of Redis's Lua that the embedded store provides. */
const LIBRARY = new Set(['cjson.encode', 'cjson.decode', 'cjson.null', 'cmsgpack.pack']);
let checker: LuaVm | undefined;

/**
 * A script file `<name>-<numberOfKeys>.lua` with its KEYS/ARGV header, as BullMQ lays them out.
 * A line `--- @include "<path under server/, no .lua>"` is replaced by that fragment, so shared
 * Lua (request idempotency, order indexing) is written once.
 *
 * Checked when the module that declares it loads, so a script that could not run fails the start
 * of the node, never the first tap of a live: it must compile, name every command it calls as a
 * string literal, call only commands the embedded store answers and use only its libraries.
 */
export function luaScript(url: URL): LuaScript {
  const file = fileURLToPath(url);
  const match = /^(.+)-(\d+)\.lua$/.exec(basename(file));
  if (!match) throw new Error(`lua script ${file} must be named <name>-<numberOfKeys>.lua`);
  const name = `${relative(serverDir, dirname(file))}/${match[1]}`;
  return luaScriptFrom(name, Number(match[2]), withIncludes(readFileSync(file, 'utf8'), file));
}

/** A script from its text (includes already resolved), checked as luaScript() checks files. */
export function luaScriptFrom(name: string, numberOfKeys: number, source: string): LuaScript {
  check(name, source);
  return { name, numberOfKeys, source, sha: createHash('sha1').update(source).digest('hex') };
}

function withIncludes(lua: string, file: string): string {
  return lua.replace(/^--- @include "([\w/.-]+)"$/gm, (_, path: string) => {
    try {
      return readFileSync(`${serverDir}${path}.lua`, 'utf8');
    } catch (err) {
      throw new Error(`lua script ${file}: cannot include "${path}" (a path under server/, without .lua)`, { cause: err });
    }
  });
}

function check(name: string, source: string): void {
  const code = source.replace(/--\[\[[\s\S]*?\]\]|--[^\n]*/g, '');
  for (const call of code.matchAll(/redis\.p?call\(\s*([^,)]*)/g)) {
    const command = /^(['"])([A-Za-z]+)\1$/.exec(call[1]!.trim())?.[2];
    if (!command) throw new Error(`lua script ${name}: name the command of each redis.call as a string literal (found ${call[1]})`);
    if (!commandFor(command)) throw new Error(`lua script ${name}: the embedded store does not answer ${command.toUpperCase()}; add it to platform/store/embedded/commands.ts (and the differential test) or use another command`);
  }
  for (const use of code.matchAll(/\b(cjson|cmsgpack|bit|struct)\.(\w+)/g)) {
    if (!LIBRARY.has(`${use[1]}.${use[2]}`)) throw new Error(`lua script ${name}: the embedded store has no ${use[1]}.${use[2]}`);
  }
  try {
    if (!checker) {
      checker = new LuaVm();
      // Scripts load with their modules, at start-up: the checking state is not kept after that.
      setImmediate(() => (checker = undefined));
    }
    checker.load(name, source);
  } catch (err) {
    throw new Error(`lua script ${name}: ${(err as Error).message}`, { cause: err });
  }
}
