import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configSchema, type Config } from './schema.ts';
import { envOverrides } from './env.ts';

const defaultFile = fileURLToPath(new URL('../../config/default.json', import.meta.url));

/** A config that cannot be used; the message names the key (and the variable that set it). */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Tree = Record<string, unknown>;

/**
 * config/default.json, then the file named by CONFIG_FILE, then environment variables; validated once.
 * `overrides` is for tests and tools that start a node in-process.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Tree = {}): Config {
  const tree = readJson(defaultFile);
  if (env.CONFIG_FILE) merge(tree, readJson(env.CONFIG_FILE));
  const fromEnv = new Map<string, string>();
  for (const { env: name, path, parse } of envOverrides) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    setPath(tree, path, parse(raw));
    fromEnv.set(path.join('.'), name);
  }
  merge(tree, overrides);

  const parsed = configSchema.safeParse(tree);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const key = issue.path.join('.');
      const source = fromEnv.has(key) ? ` (from ${fromEnv.get(key)})` : '';
      return `  ${key || '(root)'}${source}: ${issue.message}`;
    });
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  if (env.NODE_ENV !== 'production') return parsed.data;
  refuseDevelopmentSecrets(parsed.data);
  // The demo hands out tokens to anyone who asks: never in production.
  return { ...parsed.data, demo: false };
}

/** Every secret shipped in config/default.json starts with "dev"; none may reach production. */
function refuseDevelopmentSecrets(config: Config): void {
  const secrets: Array<[string, string | undefined]> = [
    ['auth.jwtSecret', config.auth.jwtSecret],
    ...config.auth.apiKeys.map((k, i): [string, string] => [`auth.apiKeys.${i}`, k]),
    ['mall.secret', config.mall.secret],
    ['crm.secret', config.crm.secret],
    ['fulfil.secret', config.fulfil.secret],
    ['wecom.secret', config.wecom.secret],
    ['wecom.token', config.wecom.token],
    ['wecom.aesKey', config.wecom.aesKey],
  ];
  const bad = secrets.filter(([, v]) => v?.startsWith('dev')).map(([k]) => k);
  if (bad.length) {
    throw new ConfigError(`development secrets refused with NODE_ENV=production: ${bad.join(', ')}`);
  }
}

function readJson(file: string): Tree {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Tree;
  } catch (err) {
    throw new ConfigError(`cannot read config file ${file}: ${(err as Error).message}`);
  }
}

function setPath(tree: Tree, path: string[], value: unknown): void {
  let node = tree;
  for (const key of path.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Tree;
  }
  node[path[path.length - 1]!] = value;
}

function merge(target: Tree, source: Tree): void {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    if (isTree(value) && isTree(existing)) merge(existing, value);
    else target[key] = value;
  }
}

function isTree(v: unknown): v is Tree {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
