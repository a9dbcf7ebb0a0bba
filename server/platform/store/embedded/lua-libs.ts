import { fromBytes, toBytes } from './bytes.ts';
import { lua, to_luastring, type LuaState } from './fengari.ts';
import { formatG } from './format.ts';

/**
 * `cjson` and `cmsgpack` as Redis's Lua has them (lua-cjson, antirez's lua_cmsgpack), written
 * against the same stack API. Output is byte-for-byte Redis's, with one refusal: a table with more
 * than one string key. Redis orders such keys by Lua 5.1's hash order, which no other VM
 * reproduces, so an object encoded here would not match Redis's bytes; scripts build such JSON in
 * a fixed order instead (see the points ledger).
 */

/** cjson.null: a light userdata, equal only to itself. */
const JSON_NULL = { cjsonNull: true };
const MAX_DEPTH = 1000;

export function openLibraries(L: LuaState): void {
  lua.lua_createtable(L, 0, 3);
  setFunction(L, 'encode', (L) => {
    const out: string[] = [];
    encodeJson(L, 1, out, 0);
    lua.lua_pushstring(L, toBytes(out.join('')));
    return 1;
  });
  setFunction(L, 'decode', (L) => {
    const text = lua.lua_tolstring(L, 1);
    if (!text) return raise(L, 'bad argument #1 to \'decode\' (string expected)');
    let value: unknown;
    try {
      value = JSON.parse(Buffer.from(text).toString('utf8'));
    } catch (err) {
      return raise(L, `Expected value but found invalid token: ${(err as Error).message}`);
    }
    pushJson(L, value);
    return 1;
  });
  lua.lua_pushlightuserdata(L, JSON_NULL);
  lua.lua_setfield(L, -2, to_luastring('null'));
  lua.lua_setglobal(L, to_luastring('cjson'));

  lua.lua_createtable(L, 0, 1);
  setFunction(L, 'pack', (L) => {
    const argc = lua.lua_gettop(L);
    if (argc === 0) return raise(L, 'MessagePack pack needs input.');
    const out: number[] = [];
    for (let i = 1; i <= argc; i++) packValue(L, i, out, 0);
    lua.lua_pushstring(L, Uint8Array.from(out));
    return 1;
  });
  lua.lua_setglobal(L, to_luastring('cmsgpack'));
}

function setFunction(L: LuaState, name: string, fn: (L: LuaState) => number): void {
  lua.lua_pushjsfunction(L, fn);
  lua.lua_setfield(L, -2, to_luastring(name));
}

function raise(L: LuaState, message: string): never {
  lua.lua_pushliteral(L, message);
  return lua.lua_error(L);
}

// ---- cjson.encode ----

/** lua-cjson's escapes: control characters, `"`, `\`, `/` and DEL. */
function escapeJson(bytes: string): string {
  let out = '"';
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c === 0x2f) out += '\\/';
    else if (c === 0x08) out += '\\b';
    else if (c === 0x09) out += '\\t';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0c) out += '\\f';
    else if (c === 0x0d) out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += `\\u00${c.toString(16).padStart(2, '0')}`;
    else out += bytes[i];
  }
  return out + '"';
}

function jsonNumber(L: LuaState, n: number): string {
  if (!Number.isFinite(n)) return raise(L, 'Cannot serialise number: must not be NaN or Inf');
  return formatG(n, 14);
}

function encodeJson(L: LuaState, index: number, out: string[], depth: number): void {
  const type = lua.lua_type(L, index);
  if (type === lua.LUA_TNIL) out.push('null');
  else if (type === lua.LUA_TBOOLEAN) out.push(lua.lua_toboolean(L, index) ? 'true' : 'false');
  else if (type === lua.LUA_TNUMBER) out.push(jsonNumber(L, lua.lua_tonumber(L, index)));
  else if (type === lua.LUA_TSTRING) out.push(escapeJson(fromBytes(lua.lua_tolstring(L, index)!)));
  else if (type === lua.LUA_TLIGHTUSERDATA && lua.lua_touserdata(L, index) === JSON_NULL) out.push('null');
  else if (type === lua.LUA_TTABLE) encodeTable(L, index, out, depth + 1);
  else raise(L, `Cannot serialise ${fromBytes(lua.lua_typename(L, type))}: type not supported`);
}

function encodeTable(L: LuaState, index: number, out: string[], depth: number): void {
  if (depth > MAX_DEPTH) raise(L, `Cannot serialise, excessive nesting (${depth})`);
  const table = index < 0 ? lua.lua_gettop(L) + index + 1 : index;
  const { length, keys } = tableShape(L, table);
  if (length > 0) {
    // lua-cjson refuses arrays with many holes rather than send a long run of nulls.
    if (length > keys * 2 && length > 10) raise(L, 'Cannot serialise table: excessively sparse array');
    out.push('[');
    for (let i = 1; i <= length; i++) {
      if (i > 1) out.push(',');
      lua.lua_rawgeti(L, table, i);
      encodeJson(L, -1, out, depth);
      lua.lua_pop(L, 1);
    }
    out.push(']');
    return;
  }
  if (keys > 1) raise(L, 'embedded store: cjson.encode of a table with several keys would not match Redis (Lua 5.1 hash order); build the JSON in a fixed order');
  out.push('{');
  lua.lua_pushnil(L);
  while (lua.lua_next(L, table)) {
    const keyType = lua.lua_type(L, -2);
    if (keyType === lua.LUA_TNUMBER) out.push(`"${jsonNumber(L, lua.lua_tonumber(L, -2))}"`);
    else if (keyType === lua.LUA_TSTRING) out.push(escapeJson(fromBytes(lua.lua_tolstring(L, -2)!)));
    else raise(L, 'Cannot serialise table: table key must be a number or string');
    out.push(':');
    encodeJson(L, -1, out, depth);
    lua.lua_pop(L, 1);
  }
  out.push('}');
}

/** lua-cjson's lua_array_length: the largest positive integer key when every key is one, else 0. */
function tableShape(L: LuaState, table: number): { length: number; keys: number } {
  let max = 0;
  let keys = 0;
  let array = true;
  lua.lua_pushnil(L);
  while (lua.lua_next(L, table)) {
    keys++;
    if (array && lua.lua_type(L, -2) === lua.LUA_TNUMBER) {
      const k = lua.lua_tonumber(L, -2);
      if (Number.isInteger(k) && k >= 1) max = Math.max(max, k);
      else array = false;
    } else array = false;
    lua.lua_pop(L, 1);
  }
  return { length: array ? max : 0, keys };
}

// ---- cjson.decode ----

function pushJson(L: LuaState, value: unknown): void {
  if (value === null) lua.lua_pushlightuserdata(L, JSON_NULL);
  else if (typeof value === 'boolean') lua.lua_pushboolean(L, value);
  else if (typeof value === 'number') lua.lua_pushnumber(L, value);
  else if (typeof value === 'string') lua.lua_pushstring(L, Buffer.from(value, 'utf8'));
  else if (Array.isArray(value)) {
    lua.lua_createtable(L, value.length, 0);
    value.forEach((item, i) => {
      pushJson(L, item);
      lua.lua_rawseti(L, -2, i + 1);
    });
  } else {
    const entries = Object.entries(value as Record<string, unknown>);
    lua.lua_createtable(L, 0, entries.length);
    for (const [key, item] of entries) {
      lua.lua_pushstring(L, Buffer.from(key, 'utf8'));
      pushJson(L, item);
      lua.lua_rawset(L, -3);
    }
  }
}

// ---- cmsgpack.pack ----

const MAX_NESTING = 16;

function packValue(L: LuaState, index: number, out: number[], depth: number): void {
  const type = lua.lua_type(L, index);
  if (type === lua.LUA_TBOOLEAN) out.push(lua.lua_toboolean(L, index) ? 0xc3 : 0xc2);
  else if (type === lua.LUA_TNUMBER) packNumber(lua.lua_tonumber(L, index), out);
  else if (type === lua.LUA_TSTRING) packBytes(lua.lua_tolstring(L, index)!, out);
  else if (type === lua.LUA_TTABLE && depth < MAX_NESTING) packTable(L, index, out, depth + 1);
  else out.push(0xc0);
}

function packNumber(n: number, out: number[]): void {
  // lua_cmsgpack: a number equal to an int64 goes as the smallest integer, others as float or double.
  if (Number.isFinite(n) && Number.isInteger(n) && n >= -(2 ** 63) && n < 2 ** 63) return packInteger(BigInt(n), out);
  const f32 = Math.fround(n);
  const view = new DataView(new ArrayBuffer(9));
  // NaN is not equal to its float either, so it goes as a double (0xcb), as lua_cmsgpack sends it.
  if (f32 === n) {
    view.setUint8(0, 0xca);
    view.setFloat32(1, n);
    out.push(...new Uint8Array(view.buffer, 0, 5));
  } else {
    view.setUint8(0, 0xcb);
    view.setFloat64(1, n);
    out.push(...new Uint8Array(view.buffer, 0, 9));
  }
}

function packInteger(n: bigint, out: number[]): void {
  const u = BigInt.asUintN(64, n);
  const header = (marker: number, size: number) => {
    out.push(marker);
    for (let i = size - 1; i >= 0; i--) out.push(Number((u >> BigInt(8 * i)) & 0xffn));
  };
  if (n >= 0n) {
    if (n <= 127n) out.push(Number(n));
    else if (n <= 0xffn) header(0xcc, 1);
    else if (n <= 0xffffn) header(0xcd, 2);
    else if (n <= 0xffffffffn) header(0xce, 4);
    else header(0xcf, 8);
  } else if (n >= -32n) out.push(Number(u & 0xffn));
  else if (n >= -128n) header(0xd0, 1);
  else if (n >= -32768n) header(0xd1, 2);
  else if (n >= -2147483648n) header(0xd2, 4);
  else header(0xd3, 8);
}

function packBytes(bytes: Uint8Array, out: number[]): void {
  const n = bytes.length;
  if (n < 32) out.push(0xa0 | n);
  else if (n <= 0xff) out.push(0xd9, n);
  else if (n <= 0xffff) out.push(0xda, n >> 8, n & 0xff);
  else out.push(0xdb, (n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff);
  for (const b of bytes) out.push(b);
}

function packTable(L: LuaState, index: number, out: number[], depth: number): void {
  const table = index < 0 ? lua.lua_gettop(L) + index + 1 : index;
  const { length, keys } = tableShape(L, table);
  // lua_cmsgpack: an array only when its keys are exactly 1..n (an empty table is an empty array).
  if (length === keys) {
    packLength(length, 0x90, 0xdc, out);
    for (let i = 1; i <= length; i++) {
      lua.lua_rawgeti(L, table, i);
      packValue(L, -1, out, depth);
      lua.lua_pop(L, 1);
    }
    return;
  }
  if (keys > 1) raise(L, 'embedded store: cmsgpack.pack of a map with several keys would not match Redis (Lua 5.1 hash order)');
  packLength(keys, 0x80, 0xde, out);
  lua.lua_pushnil(L);
  while (lua.lua_next(L, table)) {
    packValue(L, -2, out, depth);
    packValue(L, -1, out, depth);
    lua.lua_pop(L, 1);
  }
}

function packLength(n: number, fix: number, wide: number, out: number[]): void {
  if (n <= 15) out.push(fix | n);
  else if (n <= 0xffff) out.push(wide, n >> 8, n & 0xff);
  else out.push(wide + 1, (n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff);
}
