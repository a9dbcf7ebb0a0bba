import { RoomFeedModel } from '../models/room-feed.ts';
import { baseStyle, escapeHtml, RcElement } from './base.ts';

/** The base of the room's counters and feed: RoomFeedModel (models/room-feed.ts), which the mini-program renders too. */
abstract class RcFeedElement extends RcElement {
  protected model: RoomFeedModel | undefined;

  protected ready(): void {
    const model = new RoomFeedModel(this.ctx!.client, this.ctx!.room, (what) => this.changed(what));
    this.model = model;
    this.onLeave(() => model.dispose());
  }

  protected abstract changed(what: string): void;
}

/** `<rc-online>`: viewers watching now (state `online`). */
export class RcOnline extends RcFeedElement {
  protected changed(what: string): void {
    if (what === 'online') this.render();
  }

  protected render(): void {
    this.shadowRoot!.innerHTML = `<style>${baseStyle}</style><span class="online">${this.model?.count('online') ?? 0}</span> ${this.t('online')}`;
  }
}

/** `<rc-likes>`: the room's likes (state `likes`, summed by the server) and a like button. */
export class RcLikes extends RcFeedElement {
  // The total changes many times a second in a busy room: only the number is rewritten, so a tap
  // landing between two updates is never lost to a rebuilt button.
  protected changed(what: string): void {
    if (what === 'likes') this.count();
  }

  protected render(): void {
    this.shadowRoot!.innerHTML = `<style>${baseStyle}</style><button type="button" aria-label="${this.t('like')}">♥ <span class="likes"></span></button>`;
    this.shadowRoot!.querySelector('button')!.addEventListener('click', () => this.model!.like());
    this.count();
  }

  private count(): void {
    const likes = this.shadowRoot!.querySelector('.likes');
    if (likes) likes.textContent = String(this.model?.count('likes') ?? 0);
  }
}

/** `<rc-ticker>`: "just bought" and comments, as the server samples them; the last few. */
export class RcTicker extends RcFeedElement {
  protected changed(what: string): void {
    if (what === 'feed') this.render();
  }

  protected render(): void {
    const lines = (this.model?.lines ?? []).map((l) => (l.kind === 'bought' ? `${escapeHtml(l.name)} ${this.t('justBought')} ${escapeHtml(l.product)}` : `${escapeHtml(l.name)}: ${escapeHtml(l.text)}`));
    this.shadowRoot!.innerHTML = `<style>${baseStyle} li { list-style: none; font-size: 14px; }</style><ul role="log" aria-live="polite">${lines.map((l) => `<li>${l}</li>`).join('')}</ul>`;
  }
}
