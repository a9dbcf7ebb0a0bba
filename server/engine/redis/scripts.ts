import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { luaScript } from '../../platform/store/lua-script.ts';

const luaDir = fileURLToPath(new URL('./lua/', import.meta.url));

type Arg = string | number | Buffer | Uint8Array;
export type Script = (keys: string[], args: Arg[]) => Promise<unknown>;

/**
 * Registers every `lua/<name>-<numberOfKeys>.lua` with ioredis `defineCommand` (EVALSHA, falling
 * back to the body) and returns them by name. Scripts are called with Buffer replies so binary
 * envelopes survive. A line `--- @include "includes/<file>"` is replaced by that fragment, as in
 * BullMQ, so shared Lua (request idempotency) is written once.
 */
export function loadScripts(redis: Redis): Map<string, Script> {
  const scripts = new Map<string, Script>();
  for (const file of readdirSync(luaDir).filter((f) => f.endsWith('.lua'))) {
    const match = /^(.+)-(\d+)\.lua$/.exec(file);
    if (!match) throw new Error(`lua script ${file} must be named <name>-<numberOfKeys>.lua`);
    const [, name, numberOfKeys] = match as unknown as [string, string, string];
    redis.defineCommand(name, { lua: luaScript(new URL(`./lua/${file}`, import.meta.url)).source, numberOfKeys: Number(numberOfKeys) });
    const command = `${name}Buffer`;
    const call = (redis as unknown as Record<string, (...a: Arg[]) => Promise<unknown>>)[command]!.bind(redis);
    scripts.set(name, (keys, args) => call(...keys, ...args));
  }
  return scripts;
}

export function script(scripts: Map<string, Script>, name: string): Script {
  const found = scripts.get(name);
  if (!found) throw new Error(`no lua script named ${name}`);
  return found;
}
