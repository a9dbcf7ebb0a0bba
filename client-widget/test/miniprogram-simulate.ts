/**
 * The mini-program components under miniprogram-simulate (the official custom-component test tool,
 * on jsdom), as a mini-program gets them: the built SDK file and the components folder side by side,
 * WeChat's own WXML compiler, and a fake `wx` whose `connectSocket` is a real socket.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBundle, bundles } from '../build.ts';
import { fakeWx } from './fake-wx.ts';

const require = createRequire(import.meta.url);

/** A rendered component: its `data`, its nodes, and its lifetimes. */
export interface Rendered {
  data: any;
  /** The component's `this` (a Component()-built page's onLoad, onShareAppMessage). */
  instance: any;
  querySelector(selector: string): any;
  querySelectorAll(selector: string): any[];
  attach(parent: unknown): void;
  detach(): void;
}

export interface Simulator {
  /** Renders and attaches component `name` with `props`. */
  render(name: string, props: Record<string, unknown>): Rendered;
  /** Renders and attaches the component (or Component()-built page) at `path` under the root, e.g. `pages/live/index`. */
  renderPath(path: string, props?: Record<string, unknown>): Rendered;
  /** The mini-program's root folder. */
  root: string;
  /** Taps a node and lets the handler's first await run. */
  tap(node: { dispatchEvent(type: string): void }): Promise<void>;
  /** The sockets `wx.connectSocket` opened, in order. */
  sockets: ReturnType<typeof fakeWx>['sockets'];
  close(): void;
}

/**
 * By default the root holds the SDK file and its components folder; with `example`, the root is a
 * copy of the example mini-program (examples/miniprogram) with them in its roomcast/ folder, as
 * `npm run build:widget` puts them there.
 */
export async function simulator({ example = false } = {}): Promise<Simulator> {
  const dir = mkdtempSync(join(tmpdir(), 'roomcast-mpc-'));
  const root = join(dir, 'miniprogram');
  if (example) cpSync(new URL('../examples/miniprogram', import.meta.url), root, { recursive: true, filter: (src) => !/examples\/miniprogram\/roomcast(\/|$)/.test(src) });
  const sdk = example ? join(root, 'roomcast') : root;
  await buildBundle({ ...bundles.find((b) => b.miniprogram)!, out: 'roomcast-sdk.js' }, sdk);
  cpSync(new URL('../miniprogram/components', import.meta.url), join(sdk, 'components'), { recursive: true });
  const { JSDOM } = require('jsdom') as { JSDOM: new (html: string) => { window: Record<string, unknown> } };
  const dom = new JSDOM('<!doctype html><html><head></head><body></body></html>');
  for (const name of ['window', 'document', 'Node', 'Element', 'Event', 'CustomEvent', 'HTMLElement']) (globalThis as Record<string, unknown>)[name] = dom.window[name];
  // What the components call on `wx`, merged by miniprogram-simulate over its own mock.
  const { wx, sockets } = fakeWx();
  (globalThis as Record<string, unknown>).wx = wx;
  const simulate = require('miniprogram-simulate');
  const loaded = new Map<string, string>();
  // WeChat's own WXML compiler, over the folder as one project (it compiles a root's files together).
  const load = (path: string) => loaded.get(path) ?? loaded.set(path, simulate.load(join(root, path), path.split('/').at(-2), { compiler: 'official', rootPath: root })).get(path)!;
  const rendered: Rendered[] = [];
  const document = (globalThis as unknown as { document: { createElement(tag: string): unknown } }).document;
  const renderPath = (path: string, props: Record<string, unknown> = {}) => {
    const component = simulate.render(load(path), props) as Rendered;
    component.attach(document.createElement('parent-wrapper'));
    rendered.push(component);
    return component;
  };
  return {
    root,
    render: (name, props) => renderPath(`${example ? 'roomcast/' : ''}components/${name}/index`, props),
    renderPath,
    async tap(node) {
      node.dispatchEvent('tap');
      await simulate.sleep(0);
    },
    sockets,
    /** Detaches what a failed test left attached (its timers and sockets would keep the run alive). */
    close() {
      for (const component of rendered) component.detach();
      for (const ws of sockets) ws.terminate();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
