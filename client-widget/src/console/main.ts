/**
 * The console (/console/), signed in with a token from the brand's backend (pasted, or handed over in
 * the URL's fragment `#token=`, which never reaches a server log). Everything goes over the socket as
 * the token's own ops, so the page holds no API key.
 *
 * A host token opens the live console, one room at a time: live figures pushed each second, the
 * room's start and end, listing and delisting flash sales with their stock live, popping coupons,
 * group-buys and assists, the comment stream with mute, ban and remove, the blocked words, and the
 * audit trail. A manager token opens its groups' games and their prizes (`games.ts`).
 */
import { RoomcastClient } from '../sdk/client.ts';
import type { RoomEvent } from '../sdk/events.ts';
import type { FiguresMinute, RoomFigures } from '../../../server/protocol/views.ts';
import { GamesPage } from './games.ts';
import { lang, t } from './i18n.ts';
import { $, coalesced, every, frame, toast, type Picker, type Session } from './shell.ts';
import { auditCard, commentsCard, couponsCard, figuresCard, groupsCard, header, productsCard, type Comment, type ConsoleState } from './view.ts';

const TOKEN_KEY = 'roomcast-console-token';

/** The claims a console needs from its token (verified by the server; read here only to list the rooms or groups). */
function claims(token: string): { name?: string; role?: string; rooms?: string[]; chats?: string[]; exp?: number } | undefined {
  try {
    const bytes = Uint8Array.from(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes)) as ReturnType<typeof claims>;
  } catch {
    return undefined;
  }
}

function signInForm(message = ''): void {
  document.body.dataset.view = 'sign-in';
  $('#app').innerHTML = `<form class="card sign-in" id="sign-in"><h1>${t('title')}</h1><p class="muted">${t('tokenHint')}</p>
    <label>${t('token')}<textarea name="token" rows="4" required autocomplete="off" spellcheck="false"></textarea></label>
    ${message ? `<p class="error" role="alert">${message}</p>` : ''}<button class="btn primary" type="submit">${t('signIn')}</button></form>`;
  $<HTMLFormElement>('#sign-in').addEventListener('submit', (e) => {
    e.preventDefault();
    const token = String(new FormData(e.target as HTMLFormElement).get('token') ?? '').trim();
    sessionStorage.setItem(TOKEN_KEY, token);
    void open(token);
  });
}

async function open(token: string): Promise<void> {
  const c = claims(token);
  const role = c?.role === 'host' || c?.role === 'manager' ? c.role : undefined;
  if (!c || !role || (c.exp && c.exp * 1000 < Date.now())) return signInForm(t('badToken'));
  const options = (role === 'host' ? c.rooms : c.chats) ?? [];
  if (!options.length) return signInForm(t(role === 'host' ? 'noRooms' : 'noGroups'));
  const param = role === 'host' ? 'room' : 'chat';
  const wanted = new URLSearchParams(location.search).get(param);
  const current = wanted && options.includes(wanted) ? wanted : options[0]!;
  const sent = Date.now();
  const { wsUrl, now } = (await (await fetch('/console/config.json')).json()) as { wsUrl: string; now: number };
  const offset = Math.round(now - (sent + Date.now()) / 2);
  const client = new RoomcastClient({ url: wsUrl, token });
  const ended = new AbortController();
  const session: Session = {
    client,
    name: c.name ?? '',
    now: () => Date.now() + offset,
    signal: ended.signal,
    signOut(message) {
      ended.abort();
      sessionStorage.removeItem(TOKEN_KEY);
      client.close();
      signInForm(message);
    },
  };
  const picker = { param, label: role === 'host' ? 'room' : 'group', options, current } as const;
  await (role === 'host' ? new ConsolePage(session, picker) : new GamesPage(session, picker)).start();
}

class ConsolePage {
  private readonly s: ConsoleState;
  private readonly client: RoomcastClient;

  constructor(private readonly session: Session, private readonly picker: Picker) {
    this.client = session.client;
    this.s = { room: picker.current, title: '', status: 'created', minutes: [], sales: [], coupons: [], groupBuys: [], assists: [], left: {}, comments: [], muted: new Map(), banned: new Set(), audit: [], keywords: [] };
  }

  async start(): Promise<void> {
    frame(this.session, this.picker, `<main class="grid"><section class="card wide" id="figures"></section><section class="card" id="products"></section>
        <section class="card" id="comments"></section><section class="card" id="coupons"></section>
        <section class="card" id="groups"></section><section class="card" id="audit"></section></main>`);
    const { signal } = this.session;
    document.addEventListener('click', (e) => void this.act(e), { signal });
    document.addEventListener('submit', (e) => e.preventDefault(), { signal });
    this.listen();
    try {
      await this.client.connect();
      const view = await this.client.join(this.s.room);
      const room = (view.snapshot as { room?: { title?: string; status?: ConsoleState['status'] } } | undefined)?.room;
      this.s.title = room?.title ?? '';
      this.s.status = room?.status ?? 'created';
      Object.assign(this.s.left, Object.fromEntries(Object.entries(view.state).filter(([k]) => k.endsWith(':left')) as Array<[string, number]>));
      const [{ figures }, { comments }, { words }] = (await Promise.all([
        this.client.request('figures.watch', { room: this.s.room }),
        this.client.request('comments.recent', { room: this.s.room }),
        this.client.request('keywords.get', { room: this.s.room }),
      ])) as [{ figures: RoomFigures }, { comments: Comment[] }, { words: string[] }];
      await this.refresh();
      Object.assign(this.s, { figures, comments, keywords: words });
      this.draw();
      every(this.session, 5000, () => this.reread());
    } catch (err) {
      this.session.signOut(`${t('badToken')} (${(err as { code?: string }).code ?? 'error'})`);
    }
  }

  /** Reads again and redraws, one read at a time (`coalesced`). */
  private readonly reread = coalesced(async () => {
    await this.refresh();
    this.draw();
  });

  /** Campaigns, the audit trail, the per-minute timeline, and who is muted or banned, read again. */
  private async refresh(): Promise<void> {
    const room = this.s.room;
    const [campaigns, audit, timeline, restrictions] = (await Promise.all([
      this.client.request('campaigns', { room }),
      this.client.request('audit', { room, limit: 30 }),
      this.client.request('figures.timeline', { room }),
      this.client.request('restrictions', { room }),
    ])) as [Pick<ConsoleState, 'sales' | 'coupons' | 'groupBuys' | 'assists'>, { entries: ConsoleState['audit'] }, { minutes: FiguresMinute[] }, { muted: Array<{ user: string; until: number }>; banned: string[] }];
    Object.assign(this.s, campaigns, { audit: audit.entries, minutes: timeline.minutes.slice(-60) });
    this.s.muted = new Map(restrictions.muted.map((m) => [m.user, m.until]));
    this.s.banned = new Set(restrictions.banned);
  }

  private listen(): void {
    const on = (type: string, handle: (e: RoomEvent) => void) => this.client.on(type, (e) => (!e.room || e.room === this.s.room) && handle(e));
    on('figures', (e) => {
      this.s.figures = e.data as RoomFigures;
      this.draw('figures');
    });
    on('state', (e) => {
      const { key, value } = e.data as { key: string; value: unknown };
      if (!key.endsWith(':left')) return;
      this.s.left[key] = value as number;
      this.draw(key.startsWith('flash:') ? 'products' : 'coupons');
    });
    on('comment', (e) => {
      this.s.comments = [e.data as Comment, ...this.s.comments].slice(0, 100);
      this.draw('comments');
    });
    on('comment.removed', (e) => {
      const { id } = e.data as { id: string };
      this.s.comments = this.s.comments.map((c) => (c.id === id ? { ...c, removed: true } : c));
      this.draw('comments');
    });
    for (const type of ['room.started', 'room.ended']) {
      on(type, () => {
        this.s.status = type === 'room.started' ? 'live' : 'ended';
        this.reread();
      });
    }
    for (const type of ['flash.started', 'flash.ended', 'flash.soldout', 'coupon.popup']) on(type, () => this.reread());
  }

  /** Buttons carry their op and its arguments (`data-action`, `data-sale`, ...). */
  private async act(e: Event): Promise<void> {
    const button = (e.target as Element).closest<HTMLButtonElement>('button[data-action]');
    if (!button) return;
    const { action, sale, coupon, user, comment } = button.dataset;
    const room = this.s.room;
    if (action === 'room.end' && !confirm(t('confirmEnd'))) return;
    const args: Record<string, unknown> = { room };
    if (action === 'pin') {
      const product = this.s.sales.find((s) => s.id === sale)?.product;
      args.product = product;
    } else if (action === 'mute') Object.assign(args, { user, seconds: 600 });
    else if (action === 'keywords.set') args.words = String(new FormData(button.form!).get('words') ?? '').split(/[,，]/).map((w) => w.trim()).filter(Boolean);
    else Object.assign(args, sale ? { sale } : {}, coupon ? { coupon } : {}, user ? { user } : {}, comment ? { comment } : {});
    button.disabled = true;
    try {
      await this.client.request(action!, args);
      if (action === 'room.start') this.s.status = 'live';
      if (action === 'room.end') this.s.status = 'ended';
      if (action === 'keywords.set') this.s.keywords = args.words as string[];
      toast(action === 'keywords.set' ? t('saved') : `✓ ${button.textContent}`);
      this.reread();
    } catch (err) {
      toast(`${t('actionFailed')}: ${(err as { code?: string }).code ?? 'error'}`, true);
    } finally {
      button.disabled = false;
      this.draw();
    }
  }

  private draw(only?: 'figures' | 'products' | 'coupons' | 'comments'): void {
    const s = this.s;
    const parts: Record<string, () => string> = {
      head: () => header(s), figures: () => figuresCard(s), products: () => productsCard(s), coupons: () => couponsCard(s),
      groups: () => groupsCard(s), comments: () => commentsCard(s), audit: () => auditCard(s),
    };
    for (const [id, render] of Object.entries(parts)) {
      if (only && id !== only) continue;
      const el = document.getElementById(id);
      // The keywords field keeps what the host is typing.
      if (!el || (id === 'comments' && el.contains(document.activeElement) && document.activeElement?.tagName === 'INPUT')) continue;
      el.innerHTML = render();
    }
    document.documentElement.lang = lang;
  }
}

const fromFragment = new URLSearchParams(location.hash.slice(1)).get('token');
if (fromFragment) {
  sessionStorage.setItem(TOKEN_KEY, fromFragment);
  history.replaceState(null, '', location.pathname + location.search);
}
const saved = sessionStorage.getItem(TOKEN_KEY);
if (saved) void open(saved);
else signInForm();
