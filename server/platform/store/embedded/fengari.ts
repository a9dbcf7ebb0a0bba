import { createRequire } from 'node:module';
import { formatG } from './format.ts';

/**
 * fengari (Lua 5.3 in plain JavaScript), made to treat numbers as Redis's Lua 5.1 does
 * (../shared/reference/lua-vm-and-redis-cluster.md §2):
 * - every numeral and every string converted to a number is a float (a double), never a 32-bit
 *   integer, so `tonumber('1700000000') * 1000` does not wrap;
 * - floats print with an exact `%.14g` and no ".0" mark (`tostring(10/2)` is "5", `tostring(1e15)`
 *   is "1e+15"), as `LUA_NUMBER_FMT` does in Redis.
 * Both are set before fengari's modules read them: luaconf.js is loaded (after defs.js, which it
 * needs first) and patched, then fengari itself; lobject's string-to-number is replaced in place
 * (the lexer, the VM and the API look it up on the module at each use).
 */
const require = createRequire(import.meta.url);
require('fengari/src/defs.js');
const luaconf = require('fengari/src/luaconf.js') as { LUA_COMPAT_FLOATSTRING: boolean; lua_number2str: (n: number) => string };
luaconf.LUA_COMPAT_FLOATSTRING = true;
luaconf.lua_number2str = (n) => formatG(n, 14);
const fengari = require('fengari') as Fengari;
const lobject = require('fengari/src/lobject.js') as {
  luaO_str2num: (s: Uint8Array, o: { ttisinteger(): boolean; value: number; setfltvalue(v: number): void }) => number;
};
const str2num = lobject.luaO_str2num;
const { pushsvalue2s } = require('fengari/src/lobject.js') as { pushsvalue2s: (L: LuaState, ts: unknown) => void };
const { luaS_bless } = require('fengari/src/lstring.js') as { luaS_bless: (L: LuaState, bytes: Uint8Array) => unknown };
lobject.luaO_str2num = (s, o) => {
  const size = str2num(s, o);
  // "-0" read as an integer is 0; as a double (strtod, in Lua 5.1) it keeps its sign.
  if (size && o.ttisinteger()) o.setfltvalue(o.value === 0 && s[s.findIndex((c) => c !== 32 && (c < 9 || c > 13))] === 45 ? -0 : o.value);
  return size;
};

/** The opaque Lua state. */
export type LuaState = { readonly __lua_state: unique symbol };
type JsFunction = (L: LuaState) => number;

/** The part of fengari's C-like API the embedded store uses. */
export interface LuaApi {
  LUA_REGISTRYINDEX: number;
  LUA_OK: number;
  LUA_TNIL: number;
  LUA_TBOOLEAN: number;
  LUA_TLIGHTUSERDATA: number;
  LUA_TNUMBER: number;
  LUA_TSTRING: number;
  LUA_TTABLE: number;
  lua_gettop(L: LuaState): number;
  lua_settop(L: LuaState, index: number): void;
  lua_pop(L: LuaState, n: number): void;
  lua_type(L: LuaState, index: number): number;
  lua_typename(L: LuaState, type: number): Uint8Array;
  lua_isinteger(L: LuaState, index: number): boolean;
  lua_tonumber(L: LuaState, index: number): number;
  lua_toboolean(L: LuaState, index: number): boolean;
  lua_tolstring(L: LuaState, index: number): Uint8Array | null;
  lua_tojsstring(L: LuaState, index: number): string;
  lua_touserdata(L: LuaState, index: number): unknown;
  lua_pushnil(L: LuaState): void;
  lua_pushnumber(L: LuaState, n: number): void;
  lua_pushboolean(L: LuaState, b: boolean): void;
  lua_pushstring(L: LuaState, s: Uint8Array | string): void;
  lua_pushliteral(L: LuaState, s: string): void;
  lua_pushlightuserdata(L: LuaState, p: unknown): void;
  lua_pushjsfunction(L: LuaState, f: JsFunction): void;
  lua_pushvalue(L: LuaState, index: number): void;
  lua_pushglobaltable(L: LuaState): void;
  lua_createtable(L: LuaState, narray: number, nrec: number): void;
  lua_rawseti(L: LuaState, index: number, i: number): void;
  lua_rawgeti(L: LuaState, index: number, i: number): number;
  lua_rawget(L: LuaState, index: number): number;
  lua_rawset(L: LuaState, index: number): void;
  lua_setfield(L: LuaState, index: number, key: Uint8Array | string): void;
  lua_getfield(L: LuaState, index: number, key: Uint8Array | string): number;
  lua_setglobal(L: LuaState, name: Uint8Array | string): void;
  lua_getglobal(L: LuaState, name: Uint8Array | string): number;
  lua_next(L: LuaState, index: number): number;
  lua_pcall(L: LuaState, nargs: number, nresults: number, handler: number): number;
  lua_error(L: LuaState): never;
  /** The handler of a JS exception thrown inside Lua: it gets the exception, answers the Lua error value. */
  lua_atnativeerror(L: LuaState, handler: JsFunction): void;
}

interface Fengari {
  lua: LuaApi;
  lauxlib: {
    luaL_newstate(): LuaState;
    luaL_requiref(L: LuaState, name: Uint8Array, open: JsFunction, global: number): void;
    luaL_loadbufferx(L: LuaState, buffer: Uint8Array, size: number | null, name: Uint8Array, mode: Uint8Array | null): number;
    luaL_ref(L: LuaState, table: number): number;
    luaL_error(L: LuaState, message: Uint8Array): never;
  };
  lualib: { luaopen_base: JsFunction; luaopen_table: JsFunction; luaopen_string: JsFunction; luaopen_math: JsFunction };
  to_luastring(s: string): Uint8Array;
}

export const { lua, lauxlib, lualib, to_luastring } = fengari;

/**
 * Pushes bytes as a Lua string without the copy lua_pushstring makes (through Uint8Array.from, slow
 * for long strings): the caller hands over an array it will not touch again.
 */
export function pushBytes(L: LuaState, bytes: Uint8Array): void {
  pushsvalue2s(L, luaS_bless(L, bytes));
}
