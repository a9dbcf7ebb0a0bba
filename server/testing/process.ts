import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';

const root = new URL('../../', import.meta.url).pathname;

export interface NodeProcess {
  child: ChildProcess;
  ports: { realtime: number; http: number; admin: number };
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts Roomcast the way users do (`node --import tsx server/main.ts`, configured by env and a
 * config file), on free ports (unless env names them), and resolves once it logs where it listens
 * (`listeners` times: once per worker with WORKERS=N).
 */
export function spawnNode(env: Record<string, string>, config: object = {}, listeners = 1, nodeArgs: string[] = []): Promise<NodeProcess> {
  const configFile = join(tmpdir(), `roomcast-${randomUUID()}.json`);
  writeFileSync(configFile, JSON.stringify(config));
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', PORT: '0', HTTP_PORT: '0', ADMIN_PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', CONFIG_FILE: configFile, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  let listening = false;
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const lines = output.split('\n').filter((l) => l.includes('"realtime"') && l.includes('listening'));
      const line = lines[listeners - 1];
      if (!line || listening) return;
      listening = true;
      const { realtime, http, admin } = JSON.parse(line) as NodeProcess['ports'];
      resolve({ child, ports: { realtime, http, admin }, output: () => output, exited });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then(({ code }) => reject(new Error(`node exited (${code}) before listening:\n${output}`)));
    setTimeout(() => reject(new Error(`node did not listen within 20 s:\n${output}`)), 20_000).unref();
  });
}
