/**
 * The group manager's page: a manager token (role `manager`, its groups in `chats`) opens one group
 * at a time, opens a check-in, a lucky draw or a red packet in it, sees its games newest first,
 * draws or ends the open ones, and for a drawn draw or a red packet sees each prize as the brand's
 * backend handed it out (FULFIL_URL: pending, fulfilled, or failed with the brand's reason) and a red
 * packet's unclaimed money reported for refund. Winners and grabbers are named by their opaque ids
 * in the group, as members see them.
 */
import type { RoomcastClient } from '../sdk/client.ts';
import type { FulfilmentStatus, Game, GameDetails } from '../../../server/protocol/games.ts';
import { count, escapeHtml, money, t, time, type Label } from './i18n.ts';
import { coalesced, every, frame, toast, type Picker, type Session } from './shell.ts';

/** How many games (newest first) the page shows. */
const SHOWN = 20;

export class GamesPage {
  private readonly client: RoomcastClient;
  private readonly room: string;
  /** Games whose details can no longer change, kept instead of read again. */
  private readonly settled = new Map<string, GameDetails>();
  /** Reads the games again (a read is up to 21 ops: `coalesced`). */
  private readonly refresh = coalesced(() => this.read());

  constructor(private readonly session: Session, private readonly picker: Picker) {
    this.client = session.client;
    this.room = `group:${picker.current}`;
  }

  async start(): Promise<void> {
    frame(this.session, this.picker, `<main class="grid"><section class="card wide" id="open-game">${openForms()}</section><section class="card wide" id="games"></section></main>`);
    document.getElementById('head')!.innerHTML = `<div class="room-title"><h1>${t('games')}</h1><code>${escapeHtml(this.picker.current)}</code></div>`;
    const { signal } = this.session;
    document.addEventListener('click', (e) => void this.act(e), { signal });
    document.addEventListener('submit', (e) => void this.open(e), { signal });
    try {
      await this.client.connect();
      await this.client.join(this.room);
      await this.read();
    } catch (err) {
      return this.session.signOut(`${t('badToken')} (${(err as { code?: string }).code ?? 'error'})`);
    }
    // Prizes are answered by the brand's backend in the background: read again every few seconds.
    every(this.session, 5000, () => this.refresh());
    for (const type of ['game.opened', 'draw.result', 'game.ended']) this.client.on(type, (e) => e.room === this.room && this.refresh());
  }

  /** `game.list`, and `game.get` for each shown game whose prizes, grabs or check-ins can still change. */
  private async read(): Promise<void> {
    const { games } = (await this.client.request('game.list', { room: this.room })) as { games: Game[] };
    const newest = games.sort((a, b) => b.createdAt - a.createdAt).slice(0, SHOWN);
    const details = await Promise.all(newest.map(async (game): Promise<GameDetails> => {
      const known = this.settled.get(game.id);
      if (known) return known;
      if (game.kind === 'draw' && game.status !== 'drawn') return { game };
      const read = (await this.client.request('game.get', { room: this.room, game: game.id })) as GameDetails;
      if (settled(read)) this.settled.set(game.id, read);
      return read;
    }));
    document.getElementById('games')!.innerHTML = gamesCard(details);
  }

  /** A form of `openForms()` opens its kind of game; the server checks every field (`bad_request` names it). */
  private async open(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const button = form.querySelector('button')!;
    button.disabled = true;
    try {
      await this.client.request('game.open', { chat: this.picker.current, game: gameOf(form.dataset.kind as Game['kind'], new FormData(form), this.session.now()) });
      toast(`✓ ${button.textContent}`);
      this.refresh();
    } catch (err) {
      const { code, message } = err as { code?: string; message?: string };
      toast(`${t('actionFailed')}: ${code ?? 'error'}${message ? ` (${message})` : ''}`, true);
    } finally {
      button.disabled = false;
    }
  }

  /** Draw and end buttons carry their op and game (`data-action`, `data-game`). */
  private async act(e: Event): Promise<void> {
    const button = (e.target as Element).closest<HTMLButtonElement>('button[data-action]');
    if (!button) return;
    button.disabled = true;
    try {
      await this.client.request(button.dataset.action!, { chat: this.picker.current, game: button.dataset.game });
      toast(`✓ ${button.textContent}`);
      this.refresh();
    } catch (err) {
      toast(`${t('actionFailed')}: ${(err as { code?: string }).code ?? 'error'}`, true);
      button.disabled = false;
    }
  }
}

/** Over, and every prize and refund answered by the brand: nothing on it changes any more. */
const settled = ({ game, prizes, refund }: GameDetails) =>
  (game.status === 'drawn' || game.status === 'ended') && (prizes ?? []).every((p) => p.status !== 'pending') && refund?.status !== 'pending';

const field = (label: Label, input: string) => `<label>${t(label)} ${input}</label>`;

/** A form per kind, filled with what a manager most often sends. */
function openForms(): string {
  const form = (kind: Game['kind'], submit: Label, fields: string) =>
    `<form class="open-game" data-kind="${kind}"><b>${t(KINDS[kind])}</b>${fields}<button type="submit" class="btn primary">${t(submit)}</button></form>`;
  return `<h2>${t('openGame')}</h2><div class="forms">
    ${form('checkin', 'openCheckin', field('gameTitle', '<input name="title" value="每日签到" maxlength="60" required>'))}
    ${form('draw', 'openDraw', `${field('gameTitle', '<input name="title" value="福袋" maxlength="60" required>')}
      ${field('prize', `<textarea name="prizes" rows="2" placeholder="${t('prizesHint')}" required>茶具*1</textarea>`)}
      ${field('entry', `<select name="entry"><option value="join">${t('entryJoin')}</option><option value="comment">${t('entryComment')}</option><option value="checkin">${t('entryCheckin')}</option></select>`)}
      ${field('keyword', '<input name="keyword" maxlength="20">')}${field('drawInMinutes', '<input name="minutes" type="number" min="1" value="10" required>')}`)}
    ${form('red-packet', 'openPacket', `${field('gameTitle', '<input name="title" value="恭喜发财" maxlength="60" required>')}
      ${field('totalYuan', '<input name="total" type="number" min="0.01" step="0.01" value="8.88" required>')}${field('shares', '<input name="count" type="number" min="1" value="10" required>')}
      ${field('expiresMinutes', '<input name="minutes" type="number" min="1" value="60" required>')}`)}</div>`;
}

/**
 * A form's fields as `game.open` takes them: prizes one a line as `name*count` (the last `*` or `×`
 * before a number; a line without one is a single prize), money in fen, times from minutes on the
 * server's clock (`now`).
 */
function gameOf(kind: Game['kind'], data: FormData, now: number): Record<string, unknown> {
  const text = (name: string) => String(data.get(name) ?? '').trim();
  const minutes = Number(text('minutes'));
  if (kind === 'checkin') return { kind, title: text('title') };
  if (kind === 'red-packet') return { kind, title: text('title'), total: Math.round(Number(text('total')) * 100), count: Number(text('count')), expiresSec: minutes * 60 };
  const prizes = text('prizes').split('\n').map((line) => line.trim()).filter(Boolean).map((line) => {
    const [, name, n] = /^(.+?)\s*[*×]\s*(\d+)$/.exec(line) ?? [line, line, '1'];
    return { name: name!.trim(), count: Number(n) };
  });
  const keyword = text('keyword');
  return { kind, title: text('title'), prizes, entry: text('entry'), ...(keyword ? { keyword } : {}), drawAt: now + minutes * 60_000 };
}

const KINDS: Record<Game['kind'], Label> = { checkin: 'kindCheckin', draw: 'kindDraw', 'red-packet': 'kindPacket' };
const FULFILMENT: Record<FulfilmentStatus['status'], Label> = { pending: 'pending', fulfilled: 'fulfilled', failed: 'fulfilFailed' };

const fulfilment = (s: FulfilmentStatus) =>
  `<span class="tag ${s.status}">${t(FULFILMENT[s.status])}</span>${s.reason ? ` <span class="reason">${escapeHtml(s.reason)}</span>` : ''}`;

function gamesCard(games: GameDetails[]): string {
  if (!games.length) return `<h2>${t('games')}</h2><p class="muted">${t('none')}</p>`;
  return `<h2>${t('games')}</h2><ul class="list games">${games.map(gameRow).join('')}</ul>`;
}

function gameRow({ game, prizes, refund, today, grabs }: GameDetails): string {
  const button = (action: string, label: Label, kind = '') => `<button type="button" class="btn ${kind}" data-action="${action}" data-game="${escapeHtml(game.id)}">${t(label)}</button>`;
  const actions = game.status !== 'open' ? '' : `${game.kind === 'draw' ? button('game.draw', 'drawNow', 'primary') : ''}${button('game.end', 'endGame')}`;
  const progress =
    game.kind === 'checkin' ? `${t('checkedInToday')} ${count(today?.count ?? 0)}`
    : game.kind === 'draw' ? `${t('entries')} ${count(game.entries)} · ${game.prizes.map((p) => `${escapeHtml(p.name)}×${p.count}`).join('、')} · ${t('drawAt')} ${time(game.drawnAt ?? game.drawAt)}`
    : `${money((grabs ?? []).reduce((sum, g) => sum + g.amount, 0))} / ${money(game.total)} · ${t('grabbed')} ${count(game.grabbed)}/${count(game.count)}`;
  const rows = (prizes ?? []).map((p) => `<tr data-prize-status="${p.status}" data-user="${escapeHtml(p.user)}"><td><code>${escapeHtml(p.user)}</code></td>
    <td>${p.amount === undefined ? escapeHtml(p.prize) : money(p.amount)}</td><td>${fulfilment(p)}</td></tr>`);
  const table = rows.length ? `<table class="prizes"><thead><tr><th>${t('member')}</th><th>${t('prize')}</th><th>${t('fulfilment')}</th></tr></thead><tbody>${rows.join('')}</tbody></table>` : '';
  const back = refund ? `<p class="refund" data-refund-status="${refund.status}">${t('refund')} <b>${money(refund.amount)}</b> ${fulfilment(refund)}</p>` : '';
  return `<li class="game" data-game="${escapeHtml(game.id)}" data-status="${game.status}"><div class="grow">
      <div class="name">${escapeHtml(game.title)} <span class="tag">${t(KINDS[game.kind])}</span> <span class="tag ${game.status}">${t(game.status)}</span></div>
      <div class="meta">${progress}</div>${table}${back}</div><div class="actions">${actions}</div></li>`;
}
