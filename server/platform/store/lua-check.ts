import { checkArity, commandFor } from './embedded/commands.ts';
import { LuaVm } from './embedded/lua-vm.ts';

/** Library functions of Redis's Lua that the embedded store provides. */
const LIBRARY = new Set(['cjson.encode', 'cjson.decode', 'cjson.null', 'cmsgpack.pack']);

/**
 * Lua 5.3 syntax that Redis's Lua 5.1 does not compile. fengari, which compiles the check, accepts
 * it: without this, a script using it would run on the embedded store and fail on Redis at its
 * first call.
 */
const LUA_53_SYNTAX: Array<[RegExp, string]> = [
  [/\/\//, 'integer division (//)'],
  [/&|\||~(?!=)|<<|>>/, 'bitwise operators (& | ~ << >>)'],
  [/::/, 'labels (::name::)'],
  [/\bgoto\b/, 'goto'],
];

let compiler: LuaVm | undefined;

/**
 * Refuses, when its module loads, a script that could not run the same on Redis and on the embedded
 * store, so it fails the start of a node and never the first tap of a live: it must compile as
 * Lua 5.1 (no 5.3 operators, no \x \z \u{} escapes), name the command of each redis.call as a string
 * literal, call only commands the embedded store answers, with their argument count when it can
 * be counted, and none of the options it leaves out (XADD MAXLEN ~, ZADD NX, ...), and use only the
 * libraries it provides.
 */
export function checkScript(name: string, source: string): void {
  const fail = (why: string): never => {
    throw new Error(`lua script ${name}: ${why}`);
  };
  const { code, strings } = lex(source, fail);
  for (const [pattern, what] of LUA_53_SYNTAX) if (pattern.test(code)) fail(`${what} is Lua 5.3; Redis runs Lua 5.1`);
  for (const call of redisCalls(code)) {
    const literal = (arg: string) => {
      const index = /^"(\d+)"$/.exec(arg)?.[1];
      return index === undefined ? undefined : strings[Number(index)];
    };
    const commandName = literal(call[0] ?? '');
    if (commandName === undefined || !/^[A-Za-z]+$/.test(commandName)) fail(`name the command of each redis.call as a string literal (found ${call[0]})`);
    const command = commandFor(commandName!);
    if (!command) fail(`the embedded store does not answer ${commandName!.toUpperCase()}; add it to platform/store/embedded/commands.ts (and the differential test) or use another command`);
    const refused = call.slice(1).map(literal).find((arg) => arg !== undefined && command!.refuses?.includes(arg.toUpperCase()));
    if (refused !== undefined) fail(`the embedded store does not implement ${commandName!.toUpperCase()} ${refused}`);
    // Only when no argument can expand into several (a function call's results, unpack, ...).
    if (!call.some((arg) => /\(|\.\.\./.test(arg))) {
      try {
        checkArity(commandName!, command!, call.length - 1);
      } catch (err) {
        fail(`${(err as Error).message} (${commandName} with ${call.length - 1})`);
      }
    }
  }
  for (const use of code.matchAll(/\b(cjson|cmsgpack|bit|struct)\.(\w+)/g)) {
    if (!LIBRARY.has(`${use[1]}.${use[2]}`)) fail(`the embedded store has no ${use[1]}.${use[2]}`);
  }
  try {
    if (!compiler) {
      compiler = new LuaVm();
      // Scripts load with their modules, at start-up: the compiling state is not kept after that.
      setImmediate(() => (compiler = undefined));
    }
    compiler.load(name, source);
  } catch (err) {
    fail((err as Error).message);
  }
}

/**
 * The script without its comments, each string literal replaced by `"<n>"` (its text is
 * `strings[n]`), so what follows reads code only; escapes Lua 5.1 lacks are refused here.
 */
function lex(source: string, fail: (why: string) => never): { code: string; strings: string[] } {
  const strings: string[] = [];
  let code = '';
  let i = 0;
  const longBracket = (at: number) => /^\[(=*)\[/.exec(source.slice(at, at + 64))?.[1];
  const skipLong = (at: number, level: string) => {
    const end = source.indexOf(`]${level}]`, at);
    if (end < 0) fail('unfinished long string or comment');
    return end + level.length + 2;
  };
  while (i < source.length) {
    const c = source[i]!;
    if (c === '-' && source[i + 1] === '-') {
      const level = longBracket(i + 2);
      if (level !== undefined) i = skipLong(i + 2 + level.length + 2, level);
      else i = source.indexOf('\n', i) < 0 ? source.length : source.indexOf('\n', i);
    } else if (c === '[' && longBracket(i) !== undefined) {
      const level = longBracket(i)!;
      const end = skipLong(i + level.length + 2, level);
      code += `"${strings.push(source.slice(i + level.length + 2, end - level.length - 2)) - 1}"`;
      i = end;
    } else if (c === '"' || c === "'") {
      let text = '';
      for (i++; source[i] !== c; i++) {
        if (i >= source.length || source[i] === '\n') fail('unfinished string');
        if (source[i] === '\\') {
          const escaped = source[++i]!;
          if ('xzu'.includes(escaped)) fail(`the escape \\${escaped} is Lua 5.2+; Redis's Lua 5.1 reads it as the letter ${escaped}`);
          text += escaped === 'n' ? '\n' : escaped;
        } else text += source[i];
      }
      i++;
      code += `"${strings.push(text) - 1}"`;
    } else {
      code += c;
      i++;
    }
  }
  return { code, strings };
}

/** The arguments of each redis.call / redis.pcall, as source text split at top-level commas. */
function* redisCalls(code: string): Generator<string[]> {
  for (const match of code.matchAll(/redis\.p?call\s*\(/g)) {
    const args: string[] = [];
    let depth = 0;
    let current = '';
    for (let i = match.index! + match[0].length; i < code.length; i++) {
      const c = code[i]!;
      if ((c === ')' || c === ',') && depth === 0) {
        args.push(current.trim());
        current = '';
        if (c === ')') break;
        continue;
      }
      if ('({['.includes(c)) depth++;
      else if (')}]'.includes(c)) depth--;
      current += c;
    }
    yield args;
  }
}
