import type { RoomcastClient } from '../sdk/client.ts';
import type { RoomEvent } from '../sdk/events.ts';
import { label, type Label } from './i18n.ts';

/** What `<rc-room>` gives the components inside it. */
export interface RoomContext {
  client: RoomcastClient;
  room: string;
  lang: string;
  /** The viewer's opaque id in the room (the join answer's `you.id`), to tell their own win or grab from others'. */
  user: string | undefined;
}

/**
 * The base of every component: a shadow root styled by CSS custom properties (`--rc-accent`,
 * `--rc-radius`, `--rc-font`, ...), the nearest `<rc-room>`'s client, and listeners removed when the
 * element leaves the page.
 */
export abstract class RcElement extends HTMLElement {
  protected ctx: RoomContext | undefined;
  private cleanups: Array<() => void> = [];

  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
  }

  connectedCallback(): void {
    const host = this.closest('rc-room') as (HTMLElement & { context?: RoomContext }) | null;
    const ready = () => {
      this.ctx = host!.context;
      this.ready();
      this.render();
    };
    if (host?.context) ready();
    else host?.addEventListener('rc-ready', ready, { once: true });
  }

  disconnectedCallback(): void {
    for (const cleanup of this.cleanups) cleanup();
    this.cleanups = [];
  }

  protected listen(type: string, listener: (event: RoomEvent) => void): void {
    this.cleanups.push(this.ctx!.client.on(type, (event) => {
      if (!event.room || event.room === this.ctx!.room) listener(event);
    }));
  }

  /** `cleanup` runs when the element leaves the page. */
  protected onLeave(cleanup: () => void): void {
    this.cleanups.push(cleanup);
  }

  /** A timer that stops when the element leaves the page. */
  protected every(ms: number, tick: () => void): void {
    const timer = setInterval(tick, ms);
    this.cleanups.push(() => clearInterval(timer));
  }

  protected stateOf<T>(key: string): T | undefined {
    return this.ctx?.client.view(this.ctx.room).state[key] as T | undefined;
  }

  /**
   * Share a group or an assist: the page decides how (a mini-program calls its share sheet on the
   * `rc-share` event); in a browser with the Web Share API the link is shared directly.
   */
  protected share(detail: { kind: 'group' | 'assist'; id: string; code?: string }): void {
    const event = new CustomEvent('rc-share', { detail, bubbles: true, composed: true, cancelable: true });
    if (!this.dispatchEvent(event)) return;
    const url = new URL(location.href);
    url.searchParams.set(detail.kind, detail.code ?? detail.id);
    void (navigator as Navigator & { share?: (data: { url: string }) => Promise<void> }).share?.({ url: url.toString() }).catch(() => undefined);
  }

  protected t(key: Label): string {
    return label(this.ctx?.lang, key);
  }

  /** Subscribe here. */
  protected abstract ready(): void;
  protected abstract render(): void;
}

export const baseStyle = `
  :host { display: block; font-family: var(--rc-font, system-ui, sans-serif); color: var(--rc-text, #222); }
  button { font: inherit; border: 0; border-radius: var(--rc-radius, 999px); padding: .6em 1.2em; min-height: 44px;
    background: var(--rc-accent, #ff3b30); color: var(--rc-on-accent, #fff); cursor: pointer; }
  button:disabled { background: var(--rc-muted, #bbb); cursor: default; }
  .card { background: var(--rc-surface, #fff); border-radius: var(--rc-card-radius, 12px); padding: 12px; box-shadow: 0 1px 4px #0002; }
  .row { display: flex; align-items: center; justify-content: space-between; gap: 8px; }
  .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
`;

export function escapeHtml(text: unknown): string {
  return String(text ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
