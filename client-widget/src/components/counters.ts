import type { CommentEvent, TickerEvent } from '../../../server/protocol/events.ts';
import { baseStyle, escapeHtml, RcElement } from './base.ts';

/** `<rc-online>`: viewers watching now (state `online`). */
export class RcOnline extends RcElement {
  protected ready(): void {
    this.listen('state', (e) => (e.data as { key: string }).key === 'online' && this.render());
  }

  protected render(): void {
    this.shadowRoot!.innerHTML = `<style>${baseStyle}</style><span class="online">${this.stateOf<number>('online') ?? 0}</span> ${this.t('online')}`;
  }
}

/** `<rc-likes>`: the room's likes (state `likes`, summed by the server) and a like button. */
export class RcLikes extends RcElement {
  protected ready(): void {
    // The total changes many times a second in a busy room: only the number is rewritten, so a tap
    // landing between two updates is never lost to a rebuilt button.
    this.listen('state', (e) => (e.data as { key: string }).key === 'likes' && this.count());
  }

  protected render(): void {
    this.shadowRoot!.innerHTML = `<style>${baseStyle}</style><button type="button" aria-label="${this.t('like')}">♥ <span class="likes"></span></button>`;
    this.shadowRoot!.querySelector('button')!.addEventListener('click', () => this.ctx!.client.like(this.ctx!.room));
    this.count();
  }

  private count(): void {
    const likes = this.shadowRoot!.querySelector('.likes');
    if (likes) likes.textContent = String(this.stateOf<number>('likes') ?? 0);
  }
}

/** `<rc-ticker>`: "just bought" and comments, as the server samples them; the last few. */
export class RcTicker extends RcElement {
  private lines: string[] = [];

  protected ready(): void {
    const add = (line: string) => {
      this.lines = [...this.lines, line].slice(-5);
      this.render();
    };
    this.listen('ticker', (e) => {
      const d = e.data as TickerEvent;
      add(`${escapeHtml(d.name)} ${this.t('justBought')} ${escapeHtml(d.product)}`);
    });
    this.listen('comment', (e) => {
      const d = e.data as CommentEvent;
      add(`${escapeHtml(d.user.name)}: ${escapeHtml(d.text)}`);
    });
  }

  protected render(): void {
    this.shadowRoot!.innerHTML = `<style>${baseStyle} li { list-style: none; font-size: 14px; }</style><ul role="log" aria-live="polite">${this.lines.map((l) => `<li>${l}</li>`).join('')}</ul>`;
  }
}
