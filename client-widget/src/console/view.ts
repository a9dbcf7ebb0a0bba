import type { FiguresMinute, RoomFigures } from '../../../server/protocol/views.ts';
import { actionName, count, escapeHtml, money, t, time } from './i18n.ts';
import { sparkline } from './sparkline.ts';

/** What the console knows of its room; every card is drawn from it. */
export interface ConsoleState {
  room: string;
  title: string;
  status: 'created' | 'live' | 'ended';
  figures?: RoomFigures;
  minutes: FiguresMinute[];
  sales: Sale[];
  coupons: Coupon[];
  groupBuys: Array<{ id: string; product: { title: string }; price: number; size: number; opened: number; formed: number; failed: number }>;
  assists: Array<{ id: string; target: number; started: number; completed: number; product?: { title: string } }>;
  /** Stock and coupons left as the room's state last said. */
  left: Record<string, number>;
  comments: Comment[];
  /** Who is muted (until when) and banned now (opaque ids), as the server lists them: their lines are marked, and the host may lift each. */
  muted: Map<string, number>;
  banned: Set<string>;
  audit: Array<{ id: number; at: number; actor: { kind: string; id: string; name?: string }; action: string; target?: string }>;
  keywords: string[];
}

export interface Sale {
  id: string;
  product: { id: string; title: string; price: number; image?: string };
  price: number;
  stock: number;
  left: number;
  sold: number;
  status: 'scheduled' | 'live' | 'ended';
  endReason?: string;
}

export interface Coupon {
  id: string;
  title: string;
  value: number;
  quantity: number;
  issued: number;
  left: number;
  status: string;
}

export interface Comment {
  id: string;
  user: { id: string; name: string };
  text: string;
  at?: number;
  removed?: boolean;
}

const button = (action: string, label: string, data: Record<string, string> = {}, kind = '') =>
  `<button type="button" class="btn ${kind}" data-action="${action}" ${Object.entries(data).map(([k, v]) => `data-${k}="${escapeHtml(v)}"`).join(' ')}>${escapeHtml(label)}</button>`;

const stat = (label: string, value: string, sub = '', id = '') => `<div class="stat"${id ? ` data-stat="${id}"` : ''}><span class="label">${label}</span><strong>${value}</strong>${sub ? `<small>${sub}</small>` : ''}</div>`;

export function header(s: ConsoleState): string {
  const toggle = s.status === 'live' ? button('room.end', t('end'), {}, 'danger') : s.status === 'created' ? button('room.start', t('start'), {}, 'primary') : '';
  return `<div class="room-title"><h1>${escapeHtml(s.title || s.room)}</h1><span class="badge ${s.status}" data-status="${s.status}">${t(s.status)}</span></div>${toggle}`;
}

export function figuresCard(s: ConsoleState): string {
  const f = s.figures;
  if (!f) return `<h2>${t('figures')}</h2><p class="muted">${t('connecting')}</p>`;
  const pct = (n: number, of: number) => (of ? `${Math.round((100 * n) / of)}%` : '–');
  const steps: Array<[string, number]> = [[t('joined'), f.funnel.joined], [t('tapped'), f.funnel.tapped], [t('reserved'), f.funnel.reserved], [t('paid'), f.funnel.paid]];
  const viewers = [...s.minutes.map((m) => m.viewersPeak), f.viewers.now];
  const gmv = s.minutes.map((m) => m.gmvPaid);
  return `<h2>${t('figures')}</h2>
    <div class="stats">
      ${stat(t('online'), count(f.viewers.now), `${t('peak')} ${count(f.viewers.peak)}`, 'online')}
      ${stat(t('unique'), count(f.viewers.unique))}
      ${stat(t('gmvPaid'), money(f.gmv.paid), `${t('gmvReserved')} ${money(f.gmv.reserved)}`, 'gmv')}
      ${stat(t('orders'), count(f.orders.paid), `${t('reserved')} ${count(f.orders.reserved)}`, 'orders')}
      ${stat(t('likes'), count(f.likes))}
      ${stat(t('comments'), count(f.comments), `${t('hidden')} ${count(f.hidden)}`)}
    </div>
    <div class="trends">
      <figure><figcaption>${t('viewersTrend')}</figcaption>${sparkline(viewers)}</figure>
      <figure><figcaption>${t('gmvTrend')}</figcaption>${sparkline(gmv)}</figure>
    </div>
    <div class="funnel" aria-label="${t('funnel')}">${steps.map(([label, n], i) => `<div class="step"><span>${label}</span><strong>${count(n)}</strong><small>${i ? pct(n, steps[i - 1]![1]) : ''}</small></div>`).join('')}</div>`;
}

export function productsCard(s: ConsoleState): string {
  const rows = s.sales.map((sale) => {
    const left = s.left[`flash:${sale.id}:left`] ?? sale.left;
    const status = sale.status === 'live' ? (left === 0 ? 'soldOut' : 'live') : sale.status === 'ended' ? (sale.endReason === 'sold_out' ? 'soldOut' : 'ended') : 'scheduled';
    const action = sale.status === 'live' ? button('flash.stop', t('listDown'), { sale: sale.id }) : sale.status === 'scheduled' ? button('flash.start', t('listUp'), { sale: sale.id }, 'primary') : '';
    return `<li class="sale" data-sale="${escapeHtml(sale.id)}" data-status="${status}">
      <div class="grow"><div class="name">${escapeHtml(sale.product.title)} <span class="tag ${status}">${t(status as 'live')}</span></div>
        <div class="meta"><b class="price">${money(sale.price)}</b> <s>${money(sale.product.price)}</s> · ${t('stock')} <b class="left">${count(left)}</b>/${count(sale.stock)}</div>
        <div class="bar" role="progressbar" aria-valuemin="0" aria-valuemax="${sale.stock}" aria-valuenow="${left}"><i style="width:${sale.stock ? (100 * left) / sale.stock : 0}%"></i></div></div>
      <div class="actions">${button('pin', t('pin'), { sale: sale.id })}${action}</div></li>`;
  });
  return `<h2>${t('products')}</h2>${rows.length ? `<ul class="list">${rows.join('')}</ul>` : `<p class="muted">${t('none')}</p>`}`;
}

export function couponsCard(s: ConsoleState): string {
  const rows = s.coupons.map((c) => {
    const left = s.left[`coupon:${c.id}:left`] ?? c.left;
    const used = s.figures?.coupons.find((f) => f.id === c.id)?.used ?? 0;
    return `<li data-coupon="${escapeHtml(c.id)}"><div class="grow"><div class="name">${escapeHtml(c.title)} <b class="price">${money(c.value)}</b></div>
      <div class="meta">${t('issued')} <b class="issued">${count(c.quantity - left)}</b> · ${t('used')} ${count(used)} · ${t('left')} <b class="left">${count(left)}</b></div></div>
      <div class="actions">${c.status === 'created' ? button('coupon.pop', t('pop'), { coupon: c.id }, 'primary') : `<span class="tag">${t('popped')}</span>`}</div></li>`;
  });
  return `<h2>${t('coupons')}</h2>${rows.length ? `<ul class="list">${rows.join('')}</ul>` : `<p class="muted">${t('none')}</p>`}`;
}

export function groupsCard(s: ConsoleState): string {
  const groups = s.groupBuys.map((g) => `<li><div class="grow"><div class="name">${escapeHtml(g.product.title)} · ${g.size}${t('personGroup')}</div>
    <div class="meta">${t('opened')} ${count(g.opened)} · ${t('formed')} ${count(g.formed)} · ${t('failed')} ${count(g.failed)} · ${t('open')} ${count(g.opened - g.formed - g.failed)}</div></div></li>`);
  const assists = s.assists.map((a) => `<li><div class="grow"><div class="name">${escapeHtml(a.product?.title ?? a.id)} · ${a.target}</div>
    <div class="meta">${t('started')} ${count(a.started)} · ${t('completed')} ${count(a.completed)} · ${t('open')} ${count(a.started - a.completed)}</div></div></li>`);
  const list = (items: string[]) => (items.length ? `<ul class="list">${items.join('')}</ul>` : `<p class="muted">${t('none')}</p>`);
  return `<h2>${t('groupBuys')} · ${t('assists')}</h2>${list(groups)}${list(assists)}`;
}

export function commentsCard(s: ConsoleState): string {
  const rows = s.comments.map((c) => {
    const state = c.removed ? 'removed' : s.banned.has(c.user.id) ? 'banned' : s.muted.has(c.user.id) ? 'muted' : '';
    return `<li class="comment ${state}" data-comment="${escapeHtml(c.id)}" data-user="${escapeHtml(c.user.id)}">
      <div class="grow"><span class="who">${escapeHtml(c.user.name)}</span> <span class="text">${escapeHtml(c.text)}</span>${state ? ` <span class="tag">${t(state)}</span>` : ''}</div>
      ${c.removed ? '' : `<div class="actions small">${button('mute', t('mute'), { user: c.user.id })}${button('ban', t('ban'), { user: c.user.id }, 'danger')}${button('comment.remove', t('remove'), { comment: c.id })}</div>`}</li>`;
  });
  // A restricted viewer is named as their comments name them, or by their opaque id.
  const names = new Map(s.comments.map((c) => [c.user.id, c.user.name]));
  const lift = [...[...s.muted].map(([user, until]) => [user, `${t('muted')} → ${time(until)}`, 'unmute', 'unmute'] as const), ...[...s.banned].map((user) => [user, t('banned'), 'unban', 'unban'] as const)]
    .map(([user, what, action, label]) => `<li class="restricted" data-user="${escapeHtml(user)}" data-restriction="${action}"><div class="grow"><span class="who">${escapeHtml(names.get(user) ?? user)}</span> <span class="tag">${escapeHtml(what)}</span></div>
      <div class="actions small">${button(action, t(label), { user })}</div></li>`);
  return `<h2>${t('commentStream')}</h2>
    ${lift.length ? `<ul class="list restrictions" aria-label="${t('restrictions')}">${lift.join('')}</ul>` : ''}
    <form class="keywords" data-form="keywords"><label>${t('keywords')} <input name="words" value="${escapeHtml(s.keywords.join(', '))}" placeholder="${t('keywordsHint')}"></label>${button('keywords.set', t('save'))}</form>
    ${rows.length ? `<ul class="list comments" role="log">${rows.join('')}</ul>` : `<p class="muted">${t('none')}</p>`}`;
}

export function auditCard(s: ConsoleState): string {
  const rows = s.audit.map((e) => `<li data-audit="${e.id}"><time>${time(e.at)}</time> <b class="action" data-action-name="${escapeHtml(e.action)}">${escapeHtml(actionName(e.action))}</b>${e.target ? ` <code>${escapeHtml(e.target)}</code>` : ''} <span class="muted">${escapeHtml(e.actor.name ?? e.actor.id)}</span></li>`);
  return `<h2>${t('audit')}</h2>${rows.length ? `<ul class="list audit">${rows.join('')}</ul>` : `<p class="muted">${t('none')}</p>`}`;
}
