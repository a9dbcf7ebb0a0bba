import { createHash } from 'node:crypto';
import { fromBytes, toBytes } from './bytes.ts';
import { Status, type Reply } from './commands.ts';
import { lauxlib, lua, lualib, pushBytes, to_luastring, type LuaState } from './fengari.ts';
import { formatG } from './format.ts';
import { CommandError } from './keyspace.ts';
import { openLibraries } from './lua-libs.ts';

/** Runs one command for a script: its reply, or a CommandError. */
export type Execute = (name: string, args: string[]) => Reply;

const CHUNK_NAME = to_luastring('@user_script');
/** Lua strings used on every call, made once. */
const NAMES = { KEYS: to_luastring('KEYS'), ARGV: to_luastring('ARGV'), err: to_luastring('err'), ok: to_luastring('ok') };
const REDIS_VERSION = '7.0.15';
const INT64_MIN = -9223372036854775808;

/**
 * Redis's Lua environment in one fengari state: the base, table, string and math libraries with
 * Lua 5.1's names, `cjson` and `cmsgpack`, the `redis` table, and globals locked as Redis locks
 * them (so a script that writes a global fails here as it would on Redis). Each script is compiled
 * once and kept by its SHA; a call sets KEYS and ARGV and converts the reply as Redis does.
 */
export class LuaVm {
  private readonly L: LuaState;
  private readonly functions = new Map<string, number>();
  /** The command runner of the script running now. */
  private execute: Execute | undefined;
  /** The script line the running script's error was raised at. */
  private errorLine: number | undefined;

  constructor() {
    const L = lauxlib.luaL_newstate();
    this.L = L;
    // A JS exception inside a redis.call (a bug of ours) fails the script with its message,
    // leaving the state usable, instead of unwinding through fengari.
    lua.lua_atnativeerror(L, (L) => {
      lua.lua_pushliteral(L, `embedded store failure: ${(lua.lua_touserdata(L, -1) as Error)?.message ?? 'unknown'}`);
      return 1;
    });
    for (const [name, open] of [['_G', lualib.luaopen_base], ['table', lualib.luaopen_table], ['string', lualib.luaopen_string], ['math', lualib.luaopen_math]] as const) {
      lauxlib.luaL_requiref(L, to_luastring(name), open, 1);
      lua.lua_pop(L, 1);
    }
    openLibraries(L);
    this.openRedis();
    this.doString(`
      unpack = table.unpack
      loadstring = load
      math.pow = function(x, y) return x ^ y end
      math.mod = math.fmod
      math.log10 = function(x) return math.log(x, 10) end
      math.ldexp = function(m, e) return m * 2 ^ e end
      -- Lua 5.3's own names, which Redis's 5.1 does not have: a script using them fails here too.
      math.type, math.tointeger, math.ult, math.maxinteger, math.mininteger = nil, nil, nil, nil, nil
      string.pack, string.packsize, string.unpack, table.move, table.pack, table.unpack = nil, nil, nil, nil, nil, nil
      table.getn = function(t) return #t end
      string.gfind = string.gmatch
      print, dofile, loadfile, require, collectgarbage = nil, nil, nil, nil, nil
      -- Redis 7.0's pcall answers an error table's err text (a failed redis.call is such a table).
      do
        local lua_pcall, type = pcall, type
        local function caught(ok, ...)
          if ok then return true, ... end
          local err = ...
          if type(err) == 'table' and type(err.err) == 'string' then return false, err.err end
          return false, err
        end
        pcall = function(...) return caught(lua_pcall(...)) end
      end
      setmetatable(_G, {
        __index = function(_, name) error("Script attempted to access nonexistent global variable '" .. tostring(name) .. "'", 2) end,
        __newindex = function() error('Attempt to modify a readonly table', 2) end,
      })`);
  }

  /** Compiles a script once; a syntax error is thrown here, with Lua's message. */
  load(sha: string, source: string): void {
    if (this.functions.has(sha)) return;
    const L = this.L;
    const body = Buffer.from(source, 'utf8');
    if (lauxlib.luaL_loadbufferx(L, body, body.length, CHUNK_NAME, null) !== lua.LUA_OK) {
      const message = lua.lua_tojsstring(L, -1);
      lua.lua_pop(L, 1);
      throw new Error(`lua script does not compile: ${message}`);
    }
    this.functions.set(sha, lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX));
  }

  /** Runs a loaded script. `execute` answers its redis.call()s. */
  run(sha: string, keys: string[], args: string[], execute: Execute): Reply {
    const ref = this.functions.get(sha);
    if (ref === undefined) throw new CommandError('NOSCRIPT No matching script. Please use EVAL.');
    const L = this.L;
    const top = lua.lua_gettop(L);
    this.execute = execute;
    try {
      this.setArray('KEYS', keys);
      this.setArray('ARGV', args);
      lua.lua_pushjsfunction(L, this.locateError);
      lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, ref);
      this.errorLine = undefined;
      if (lua.lua_pcall(L, 0, 1, -2) !== lua.LUA_OK) {
        const where = this.errorLine === undefined ? '' : `, on @user_script:${this.errorLine}.`;
        throw new CommandError(`${this.errorText(-1)} script: ${sha}${where}`);
      }
      return this.reply(-1);
    } finally {
      this.execute = undefined;
      lua.lua_settop(L, top);
    }
  }

  private setArray(name: 'KEYS' | 'ARGV', values: string[]): void {
    const L = this.L;
    lua.lua_pushglobaltable(L);
    pushBytes(L, NAMES[name]);
    lua.lua_createtable(L, values.length, 0);
    for (let i = 0; i < values.length; i++) {
      pushBytes(L, toBytes(values[i]!));
      lua.lua_rawseti(L, -2, i + 1);
    }
    lua.lua_rawset(L, -3);
    lua.lua_pop(L, 1);
  }

  private openRedis(): void {
    const L = this.L;
    lua.lua_createtable(L, 0, 16);
    const fn = (name: string, f: (L: LuaState) => number) => {
      lua.lua_pushjsfunction(L, f);
      lua.lua_setfield(L, -2, to_luastring(name));
    };
    fn('call', (L) => this.call(L, true));
    fn('pcall', (L) => this.call(L, false));
    // Redis 7.0 takes one leading '-' (the RESP error mark) off an error reply's text.
    fn('error_reply', (L) => pushStatusTable(L, 'err', fromBytes(lua.lua_tolstring(L, 1) ?? new Uint8Array()).replace(/^-/, '')));
    fn('status_reply', (L) => pushStatusTable(L, 'ok', fromBytes(lua.lua_tolstring(L, 1) ?? new Uint8Array())));
    fn('sha1hex', (L) => {
      lua.lua_pushliteral(L, createHash('sha1').update(lua.lua_tolstring(L, 1) ?? new Uint8Array()).digest('hex'));
      return 1;
    });
    fn('log', () => 0);
    fn('set_repl', () => 0);
    fn('replicate_commands', (L) => (lua.lua_pushboolean(L, true), 1));
    fn('setresp', (L) => {
      if (lua.lua_tonumber(L, 1) !== 2) return raise(L, 'embedded store: only RESP2 replies are supported in scripts');
      return 0;
    });
    const constants: Array<[string, number | string]> = [
      ['LOG_DEBUG', 0], ['LOG_VERBOSE', 1], ['LOG_NOTICE', 2], ['LOG_WARNING', 3],
      ['REPL_NONE', 0], ['REPL_AOF', 1], ['REPL_SLAVE', 2], ['REPL_REPLICA', 2], ['REPL_ALL', 3],
      ['REDIS_VERSION', REDIS_VERSION], ['REDIS_VERSION_NUM', 0x07000f],
    ];
    for (const [name, value] of constants) {
      if (typeof value === 'number') lua.lua_pushnumber(L, value);
      else lua.lua_pushliteral(L, value);
      lua.lua_setfield(L, -2, to_luastring(name));
    }
    lua.lua_setglobal(L, to_luastring('redis'));
  }

  /** redis.call / redis.pcall: arguments as Redis formats them, the reply converted as Redis converts it. */
  private call(L: LuaState, raiseErrors: boolean): number {
    const argc = lua.lua_gettop(L);
    if (argc === 0) return raise(L, 'Please specify at least one argument for this redis lib call');
    const args: string[] = [];
    for (let i = 1; i <= argc; i++) {
      const type = lua.lua_type(L, i);
      if (type === lua.LUA_TSTRING) args.push(fromBytes(lua.lua_tolstring(L, i)!));
      else if (type === lua.LUA_TNUMBER) args.push(formatG(lua.lua_tonumber(L, i), 17));
      else return raise(L, 'Lua redis lib command arguments must be strings or integers');
    }
    let reply: Reply;
    try {
      reply = this.execute!(args[0]!, args.slice(1));
    } catch (err) {
      if (!(err instanceof CommandError)) throw err;
      pushStatusTable(L, 'err', err.message);
      return raiseErrors ? lua.lua_error(L) : 1;
    }
    pushReply(L, reply);
    return 1;
  }

  /** luaReplyToRedisReply: what a script's return value becomes. */
  private reply(index: number): Reply {
    const L = this.L;
    const type = lua.lua_type(L, index);
    if (type === lua.LUA_TSTRING) return fromBytes(lua.lua_tolstring(L, index)!);
    if (type === lua.LUA_TBOOLEAN) return lua.lua_toboolean(L, index) ? 1 : null;
    if (type === lua.LUA_TNUMBER) return toInteger(lua.lua_tonumber(L, index));
    if (type !== lua.LUA_TTABLE) return null;
    const table = lua.lua_gettop(L) + index + 1;
    for (const field of ['err', 'ok'] as const) {
      pushBytes(L, NAMES[field]);
      const found = lua.lua_rawget(L, table);
      if (found === lua.LUA_TSTRING) {
        const text = fromBytes(lua.lua_tolstring(L, -1)!);
        lua.lua_pop(L, 1);
        if (field === 'err') throw new CommandError(text);
        return new Status(text.replace(/[\r\n]/g, ' '));
      }
      lua.lua_pop(L, 1);
    }
    const out: Reply[] = [];
    for (let i = 1; lua.lua_rawgeti(L, table, i) !== lua.LUA_TNIL; i++) {
      out.push(this.reply(-1));
      lua.lua_pop(L, 1);
    }
    lua.lua_pop(L, 1);
    return out;
  }

  /**
   * The message handler of a script's pcall, as Redis's `__redis__err__handler`: notes the line the
   * error came from (the script's own, or the script's line that called redis.call or error()).
   */
  private readonly locateError = (L: LuaState): number => {
    const ar = new lua.lua_Debug();
    for (const level of [1, 2]) {
      if (!lua.lua_getstack(L, level, ar)) break;
      lua.lua_getinfo(L, to_luastring('Sl'), ar);
      if (ar.currentline > 0) {
        this.errorLine = ar.currentline;
        break;
      }
    }
    lua.lua_pushvalue(L, 1);
    return 1;
  };

  /** An error table's `err` as it is; anything else raised is made an ERR, as Redis does. */
  private errorText(index: number): string {
    const L = this.L;
    if (lua.lua_type(L, index) === lua.LUA_TTABLE) {
      lua.lua_getfield(L, index, to_luastring('err'));
      const text = lua.lua_type(L, -1) === lua.LUA_TSTRING ? fromBytes(lua.lua_tolstring(L, -1)!) : 'ERR unknown error';
      lua.lua_pop(L, 1);
      return text;
    }
    const text = lua.lua_tolstring(L, index);
    return `ERR ${text ? fromBytes(text) : 'unknown error'}`;
  }

  private doString(source: string): void {
    const L = this.L;
    const body = Buffer.from(source);
    if (lauxlib.luaL_loadbufferx(L, body, body.length, to_luastring('=init'), null) !== lua.LUA_OK || lua.lua_pcall(L, 0, 0, 0) !== lua.LUA_OK) {
      throw new Error(`embedded Lua init failed: ${lua.lua_tojsstring(L, -1)}`);
    }
  }
}

/** An error reply starts with its code: a command's error has one ("WRONGTYPE ..."), a Lua error gets ERR. */
/** A double as Redis's (long long) cast makes it an integer reply. */
function toInteger(n: number): number {
  if (!Number.isFinite(n) || n >= 2 ** 63 || n < -(2 ** 63)) return INT64_MIN;
  return Math.trunc(n) || 0;
}

/** redisProtocolToLuaType (RESP2): integers as numbers, nulls as false, status and errors as tables. */
function pushReply(L: LuaState, reply: Reply): void {
  if (reply === null) lua.lua_pushboolean(L, false);
  else if (typeof reply === 'number') lua.lua_pushnumber(L, reply);
  else if (typeof reply === 'string') pushBytes(L, toBytes(reply));
  else if (reply instanceof Status) pushStatusTable(L, 'ok', reply.text);
  else {
    lua.lua_createtable(L, reply.length, 0);
    for (let i = 0; i < reply.length; i++) {
      pushReply(L, reply[i]!);
      lua.lua_rawseti(L, -2, i + 1);
    }
  }
}

function pushStatusTable(L: LuaState, field: 'ok' | 'err', text: string): number {
  lua.lua_createtable(L, 0, 1);
  pushBytes(L, toBytes(text));
  lua.lua_setfield(L, -2, NAMES[field]);
  return 1;
}

function raise(L: LuaState, message: string): never {
  lua.lua_pushliteral(L, message);
  return lua.lua_error(L);
}
