import type { DrawGame } from '../../../server/protocol/games.ts';
import type { GameScope } from '../models/game.ts';
import { LuckyDrawModel } from '../models/lucky-draw.ts';
import { escapeHtml } from './base.ts';
import { RcGameElement } from './game-element.ts';
import { clock } from './i18n.ts';

/**
 * `<rc-lucky-draw game="bag1">`: the prizes, entries live, a countdown to the draw, entering (a tap,
 * or the keyword to comment); on the result the winners, the viewer's own win highlighted, and a
 * verify button that recomputes the winners here from the revealed seed (LuckyDrawModel).
 */
export class RcLuckyDraw extends RcGameElement<DrawGame, LuckyDrawModel> {
  protected override readonly css = `.won, li.me { color: var(--rc-accent, #ff3b30); font-weight: 700; }
    .verify { background: none; color: var(--rc-accent, #ff3b30); text-decoration: underline; padding: 0 4px; }
    .verify:disabled { background: none; color: var(--rc-ok, #1a7f37); text-decoration: none; }`;

  protected makeModel(scope: GameScope, named: string | undefined, changed: () => void): LuckyDrawModel {
    return new LuckyDrawModel(scope, named, changed);
  }

  protected override ready(): void {
    super.ready();
    this.every(1000, () => {
      const countdown = this.shadowRoot!.querySelector('.countdown');
      if (countdown) countdown.textContent = this.countdown();
    });
  }

  protected override render(): void {
    super.render();
    this.shadowRoot!.querySelector('.verify')?.addEventListener('click', () => void this.model!.verify());
  }

  protected body(game: DrawGame): string {
    const entries = this.model!.entries();
    const head = `<div class="row"><strong class="title">${escapeHtml(game.title)}</strong>
        <span class="entries" data-entries="${entries}" aria-live="polite">${entries} ${this.t('entries')}</span></div>
      <ul class="prizes">${game.prizes.map((p) => `<li>${escapeHtml(p.name)} ×${p.count}</li>`).join('')}</ul>`;
    if (game.status === 'drawn') return head + this.result(game);
    const enter = game.entry === 'comment' && game.status === 'open'
      ? `<span class="keyword">${this.t('commentToEnter')} <strong>${escapeHtml(game.keyword)}</strong></span>`
      : this.button({ idle: this.t('enterDraw'), done: this.t('entered'), already_done: this.t('entered'), not_eligible: this.t('checkInFirst'), ended: this.t('closed') });
    return `${head}<div class="row"><span class="countdown">${this.countdown()}</span>${enter}</div>`;
  }

  private result(game: DrawGame): string {
    const winners = game.winners ?? [];
    const me = this.ctx!.user;
    const won = this.model!.won();
    const v = this.model!.verification;
    const verify = { idle: this.t('verify'), busy: this.t('verifying'), ok: this.t('verified'), failed: this.t('verifyFailed') }[v.state];
    const list = winners.map((w) => `<li data-user="${escapeHtml(w.user)}"${w.user === me ? ' class="me"' : ''}>${escapeHtml(w.user)} · ${escapeHtml(w.prize)}</li>`).join('');
    return `<section class="result">
      ${won ? `<p class="won">${this.t('youWon')} ${escapeHtml(won.prize)}</p>` : ''}
      <strong>${this.t('winners')}</strong>${winners.length ? `<ol class="winners">${list}</ol>` : `<p>${this.t('noWinners')}</p>`}
      <div class="row"><button type="button" class="verify" data-verify="${v.state}"${v.state === 'busy' || v.state === 'ok' ? ' disabled' : ''}>${verify}</button>
        ${v.state === 'failed' ? `<small class="reason">${escapeHtml(v.reason)}</small>` : ''}</div></section>`;
  }

  private countdown(): string {
    const left = this.model!.countdown();
    return left === undefined ? '' : left === 'drawing' ? this.t('drawing') : `${this.t('drawIn')} ${clock(left)}`;
  }
}
