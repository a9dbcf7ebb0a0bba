import { verifyDraw } from '../../../server/protocol/draw.ts';
import { RoomcastError } from '../sdk/errors.ts';
import type { DrawGame, DrawResultEvent, GameDetails } from '../../../server/protocol/games.ts';
import { escapeHtml } from './base.ts';
import { RcGameElement } from './game-element.ts';
import { clock } from './i18n.ts';

type Verification = { state: 'idle' | 'busy' | 'ok' } | { state: 'failed'; reason: string };

/**
 * `<rc-lucky-draw game="bag1">`: the prizes, entries live (state `draw:{game}:entries`), a countdown
 * to `drawAt`, and entering: a tap (`entry: join`, or `checkin` once checked in today), or the keyword
 * to comment (`entry: comment`). On `draw.result`: the winners, the viewer's own win highlighted, and
 * a verify button that recomputes the winners in the browser from the revealed seed.
 */
export class RcLuckyDraw extends RcGameElement<DrawGame> {
  protected readonly kind = 'draw';
  protected override readonly css = `.won, li.me { color: var(--rc-accent, #ff3b30); font-weight: 700; }
    .verify { background: none; color: var(--rc-accent, #ff3b30); text-decoration: underline; padding: 0 4px; }
    .verify:disabled { background: none; color: var(--rc-ok, #1a7f37); text-decoration: none; }`;
  private verification: Verification = { state: 'idle' };

  protected override ready(): void {
    super.ready();
    this.listen('draw.result', (e) => {
      const { game, seed, winners, entries } = e.data as DrawResultEvent;
      if (game !== this.game?.id) return;
      // The commitment stays the one the draw opened with: the result's own copy would prove nothing.
      this.game = { ...this.game, status: 'drawn', seed, winners, entries };
      this.render();
    });
    this.every(1000, () => {
      const countdown = this.shadowRoot!.querySelector('.countdown');
      if (countdown && this.game) countdown.textContent = this.countdown(this.game);
    });
  }

  protected stateKey(id: string): string {
    return `draw:${id}:entries`;
  }

  protected override adopted(_details: GameDetails, fresh: boolean): void {
    if (fresh) this.verification = { state: 'idle' };
  }

  protected act(): Promise<void> {
    return this.send((client, room, game) => client.enterDraw(room, game), ({ entries }) => {
      this.game = { ...this.game!, entries: Math.max(entries, this.game!.entries) };
    });
  }

  protected override render(): void {
    super.render();
    this.shadowRoot!.querySelector('.verify')?.addEventListener('click', () => void this.verify());
  }

  protected body(game: DrawGame): string {
    const entries = this.entries(game);
    const head = `<div class="row"><strong class="title">${escapeHtml(game.title)}</strong>
        <span class="entries" data-entries="${entries}" aria-live="polite">${entries} ${this.t('entries')}</span></div>
      <ul class="prizes">${game.prizes.map((p) => `<li>${escapeHtml(p.name)} ×${p.count}</li>`).join('')}</ul>`;
    if (game.status === 'drawn') return head + this.result(game);
    const enter = game.entry === 'comment' && game.status === 'open'
      ? `<span class="keyword">${this.t('commentToEnter')} <strong>${escapeHtml(game.keyword)}</strong></span>`
      : this.button({ idle: this.t('enterDraw'), done: this.t('entered'), already_done: this.t('entered'), not_eligible: this.t('checkInFirst'), ended: this.t('closed') });
    return `${head}<div class="row"><span class="countdown">${this.countdown(game)}</span>${enter}</div>`;
  }

  private result(game: DrawGame): string {
    const winners = game.winners ?? [];
    const me = this.ctx!.user;
    const won = winners.find((w) => w.user === me);
    const v = this.verification;
    const verify = { idle: this.t('verify'), busy: this.t('verifying'), ok: this.t('verified'), failed: this.t('verifyFailed') }[v.state];
    const list = winners.map((w) => `<li data-user="${escapeHtml(w.user)}"${w.user === me ? ' class="me"' : ''}>${escapeHtml(w.user)} · ${escapeHtml(w.prize)}</li>`).join('');
    return `<section class="result">
      ${won ? `<p class="won">${this.t('youWon')} ${escapeHtml(won.prize)}</p>` : ''}
      <strong>${this.t('winners')}</strong>${winners.length ? `<ol class="winners">${list}</ol>` : `<p>${this.t('noWinners')}</p>`}
      <div class="row"><button type="button" class="verify" data-verify="${v.state}"${v.state === 'busy' || v.state === 'ok' ? ' disabled' : ''}>${verify}</button>
        ${v.state === 'failed' ? `<small class="reason">${escapeHtml(v.reason)}</small>` : ''}</div></section>`;
  }

  /**
   * Recomputes the winners from the revealed seed, the entry list (`game.get` answers it once drawn)
   * and the prizes, and checks that seed against the commitment the draw opened with.
   */
  private async verify(): Promise<void> {
    const { id, seed, commitment, prizes, winners } = this.game!;
    this.verification = { state: 'busy' };
    this.render();
    try {
      const { entries = [] } = await this.ctx!.client.game(this.ctx!.room, id);
      const { ok, reason } = await verifyDraw({ seed: seed!, commitment, entries, prizes, winners: winners! });
      this.verification = ok ? { state: 'ok' } : { state: 'failed', reason: reason! };
    } catch (err) {
      // Web Crypto is missing outside secure contexts (plain http on a LAN address): that shows here too.
      this.verification = { state: 'failed', reason: err instanceof RoomcastError ? err.code : (err as Error).message };
    }
    this.render();
  }

  private countdown(game: DrawGame): string {
    if (game.status === 'drawing') return this.t('drawing');
    if (game.status !== 'open') return '';
    const ms = game.drawAt - Date.now();
    return ms > 0 ? `${this.t('drawIn')} ${clock(ms)}` : this.t('drawing');
  }

  /** Entries only grow, so the highest count heard (room state, the game, an answer) is the latest. */
  private entries(game: DrawGame): number {
    return Math.max(game.entries, this.stateOf<number>(this.stateKey(game.id)) ?? 0);
  }
}
