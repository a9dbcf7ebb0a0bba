import { RoomcastClient, State } from '../sdk/client.ts';
import type { RoomContext } from './base.ts';
import { label } from './i18n.ts';

/**
 * `<rc-room url="wss://…/v1/ws" token="…" room="spring-launch" lang="zh-CN">`: connects, joins, and
 * gives its children the client. Shows a banner while reconnecting or offline; `client` is public
 * for pages that want the SDK directly.
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
    const client = new RoomcastClient({ url: this.getAttribute('url')!, token: this.getAttribute('token')! });
    this.client = client;
    client.onState((state) => {
      this.dataset.state = state;
      const text = state === State.Reconnecting ? label(lang, 'reconnecting') : state === State.Offline ? label(lang, 'offline') : '';
      this.banner!.textContent = text;
      this.banner!.classList.toggle('on', text !== '');
    });
    await client.connect();
    await client.join(room);
    this.context = { client, room, lang };
    this.dispatchEvent(new CustomEvent('rc-ready'));
  }

  disconnectedCallback(): void {
    this.client?.close();
  }
}
