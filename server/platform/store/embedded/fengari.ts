import { createRequire } from 'node:module';
import { formatG } from './format.ts';

/**
 * fengari (Lua 5.3 in plain JavaScript), made to treat numbers as Redis's Lua 5.1 does
 * (../shared/reference/lua-vm-and-redis-cluster.md §2):
 * - every number is a float (a double), never one of fengari's 32-bit integers, so neither
 *   `tonumber('1700000000') * 1000` nor `#t * #t` nor `math.floor(x) * y` wraps: numerals and
 *   strings read as numbers (hexadecimal too, as strtod reads them), lengths, loop counters and
 *   every integer a library function answers (math.floor, string.len, string.find, ipairs, next);
 * - floats print with an exact `%.14g` and no ".0" mark (`tostring(10/2)` is "5", `tostring(1e15)`
 *   is "1e+15"), as `LUA_NUMBER_FMT` does in Redis.
 * All are set before fengari's modules read them: luaconf.js is loaded (after defs.js, which it
 * needs first) and patched, then the API and the modules whose functions are replaced in place (the
 * lexer, the VM and the libraries look them up on the module, or copy them when lua.js loads), then
 * fengari.
 * Table keys stay integers inside the table (Lua 5.3 normalizes 1.0 to 1), and come out as floats.
 */
const require = createRequire(import.meta.url);
const { constant_types: types } = require('fengari/src/defs.js') as { constant_types: { LUA_TNUMINT: number; LUA_TNUMFLT: number } };
const luaconf = require('fengari/src/luaconf.js') as { LUA_COMPAT_FLOATSTRING: boolean; lua_number2str: (n: number) => string };
luaconf.LUA_COMPAT_FLOATSTRING = true;
luaconf.lua_number2str = (n) => formatG(n, 14);

type TValue = { type: number; value: number; ttisinteger(): boolean; setfltvalue(v: number): void };
// The API first, as lua.js loads it (loading lobject.js first breaks fengari's require cycles).
const lapi = require('fengari/src/lapi.js') as { lua_pushinteger(L: LuaState, n: number): void; lua_pushnumber(L: LuaState, n: number): void };
const pushNumber = lapi.lua_pushnumber;
lapi.lua_pushinteger = (L, n) => pushNumber(L, n);
const lobject = require('fengari/src/lobject.js') as {
  TValue: { prototype: { setivalue(this: TValue, x: number): void } };
  luaO_str2num: (s: Uint8Array, o: TValue) => number;
  pushsvalue2s: (L: LuaState, ts: unknown) => void;
};
lobject.TValue.prototype.setivalue = function (x) {
  this.type = types.LUA_TNUMFLT;
  this.value = x;
};
const str2num = lobject.luaO_str2num;
lobject.luaO_str2num = (s, o) => {
  const size = str2num(s, o);
  if (size) o.setfltvalue(asDouble(s, o.value));
  return size;
};
const ltable = require('fengari/src/ltable.js') as { luaH_next(L: LuaState, t: unknown, keyIndex: number): boolean };
const next = ltable.luaH_next;
ltable.luaH_next = (L, t, keyIndex) => {
  const more = next(L, t, keyIndex);
  const key = (L as unknown as { stack: TValue[] }).stack[keyIndex]!;
  if (more && key.type === types.LUA_TNUMINT) key.type = types.LUA_TNUMFLT;
  return more;
};
const fengari = require('fengari') as Fengari;
const { pushsvalue2s } = lobject;
const { luaS_bless } = require('fengari/src/lstring.js') as { luaS_bless: (L: LuaState, bytes: Uint8Array) => unknown };

/**
 * What strtod (Lua 5.1's reader) makes of a numeral fengari read as an integer: "-0" keeps its
 * sign, and a hexadecimal numeral is its value, where fengari wraps it to 32 bits.
 */
function asDouble(numeral: Uint8Array, read: number): number {
  let i = 0;
  while (numeral[i] === 32 || (numeral[i]! >= 9 && numeral[i]! <= 13)) i++;
  const negative = numeral[i] === 45;
  if (negative || numeral[i] === 43) i++;
  if (numeral[i] === 48 && (numeral[i + 1] === 120 || numeral[i + 1] === 88)) {
    const hex = /^([+-]?)0[xX]([0-9a-fA-F]+)\s*$/.exec(Buffer.from(numeral).toString('latin1').replace(/\0$/, '').trim());
    if (hex) return (negative ? -1 : 1) * Number.parseInt(hex[2]!, 16);
  }
  return read === 0 && negative ? -0 : read;
}

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
  lua_Debug: new () => { currentline: number };
  lua_getstack(L: LuaState, level: number, ar: { currentline: number }): boolean;
  lua_getinfo(L: LuaState, what: Uint8Array, ar: { currentline: number }): boolean;
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
