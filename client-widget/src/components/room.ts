import { RoomcastClient } from '../sdk/client.ts';
import { State } from '../sdk/connection.ts';
import { RoomcastError } from '../sdk/errors.ts';
import type { RoomContext } from './base.ts';
import { label } from './i18n.ts';

/**
 * `<rc-room url="wss://…/v1/ws" token="…" room="spring-launch" lang="zh-CN">`: connects, joins, and
 * gives its children the client. Shows a banner while reconnecting or offline, or when the room
 * refuses the viewer (`data-error`: a group room admits its members only); `client` is public for
 * pages that want the SDK directly.
 */
export class RcRoom extends HTMLElement {
  context: RoomContext | undefined;
  client: RoomcastClient | undefined;
  private banner: HTMLElement | undefined;

  async connectedCallback(): Promise<void> {
    const root = this.attachShadow({ mode: 'open' });
    root.innerHTML = `<style>:host{display:block} .banner{display:none;padding:6px;text-align:center;background:var(--rc-warn,#fff3cd);font-size:14px}
      .banner.on{display:block}</style><div class="banner" role="status" aria-live="polite"></div><slot></slot>`;
    this.banner = root.querySelector<HTMLElement>('.banner')!;
    const room = this.getAttribute('room')!;
    const lang = this.getAttribute('lang') ?? 'zh-CN';
    const token = this.getAttribute('token')!;
    const client = new RoomcastClient({ url: this.getAttribute('url')!, token });
    this.client = client;
    client.onState((state) => {
      this.dataset.state = state;
      const text = state === State.Reconnecting ? label(lang, 'reconnecting') : state === State.Offline ? label(lang, 'offline') : '';
      this.banner!.textContent = text;
      this.banner!.classList.toggle('on', text !== '');
    });
    await client.connect();
    let you: string | undefined;
    try {
      ({ you } = await client.join(room));
    } catch (err) {
      // The components cannot start without the room (a group room refuses non-members): stop, and say
      // why, rather than leave a page that never fills.
      client.close();
      this.refused(err instanceof RoomcastError ? err.code : 'error', lang);
      return;
    }
    this.context = { client, room, lang, user: you };
    this.dispatchEvent(new CustomEvent('rc-ready'));
  }

  disconnectedCallback(): void {
    this.client?.close();
  }

  private refused(code: string, lang: string): void {
    this.dataset.error = code;
    this.banner!.textContent = code === 'forbidden' ? label(lang, 'forbidden') : `${label(lang, 'cannotJoin')} (${code})`;
    this.banner!.classList.add('on');
  }
}
