/** What the console's two pages share: the top bar (who, which room or group, sign out), the connection line and the toast. */
import type { RoomcastClient } from '../sdk/client.ts';
import { State } from '../sdk/connection.ts';
import { escapeHtml, t, type Label } from './i18n.ts';

export const $ = <E extends Element = HTMLElement>(selector: string) => document.querySelector<E>(selector)!;

/** A signed-in console: its socket, who signed in, the server's clock, and the way back to the sign-in form (with a message). */
export interface Session {
  client: RoomcastClient;
  name: string;
  /** The server's time now, in ms: a phone's own clock can be minutes off. */
  now(): number;
  /** Aborted at sign-out: the page's listeners and timers end with it. */
  signal: AbortSignal;
  signOut(message?: string): void;
}

/** Runs `task` every `ms` until the session ends. */
export function every(session: Session, ms: number, task: () => void): void {
  const timer = setInterval(task, ms);
  session.signal.addEventListener('abort', () => clearInterval(timer));
}

/** Which of the token's rooms (a host) or groups (a manager) the page shows, switched through the URL's `?room=` / `?chat=`. */
export interface Picker {
  param: 'room' | 'chat';
  label: Label;
  options: string[];
  current: string;
}

/** The page's frame: the top bar, the toast, and the page's own `main`. */
export function frame(session: Session, picker: Picker, main: string): void {
  document.body.dataset.view = 'console';
  const options = picker.options.map((o) => `<option ${o === picker.current ? 'selected' : ''}>${escapeHtml(o)}</option>`).join('');
  $('#app').innerHTML = `<header class="top"><div id="head"></div><div class="who"><span id="conn"></span> ${escapeHtml(session.name)}
      <select id="picker" aria-label="${t(picker.label)}">${options}</select> <button class="btn" type="button" id="sign-out">${t('signOut')}</button></div></header>
    <div id="toast" role="status" aria-live="polite"></div>${main}`;
  $('#sign-out').addEventListener('click', () => session.signOut(), { signal: session.signal });
  $<HTMLSelectElement>('#picker').addEventListener('change', (e) => {
    const url = new URL(location.href);
    url.searchParams.set(picker.param, (e.target as HTMLSelectElement).value);
    location.href = url.toString();
  });
  session.client.onState((state) => {
    const text = state === State.Reconnecting ? t('reconnecting') : state === State.Offline ? t('offline') : state === State.Connecting ? t('connecting') : '';
    $('#conn').textContent = text;
    $('#conn').className = text ? 'warn' : 'ok';
  });
}

/**
 * `read`, run again on each call of what this returns, one run at a time: calls made while it runs
 * make one more run after it, not one each (a page's reads are several ops, and the server limits a
 * socket's ops). A run that fails (offline, rate-limited) leaves the page as it was until the next.
 */
export function coalesced(read: () => Promise<void>): () => void {
  let running = false;
  let wanted = false;
  return () => {
    wanted = true;
    if (running) return;
    running = true;
    void (async () => {
      while (wanted) {
        wanted = false;
        await read().catch(() => undefined);
      }
      running = false;
    })();
  };
}

export function toast(text: string, error = false): void {
  const el = $('#toast');
  el.textContent = text;
  el.className = error ? 'show error' : 'show';
  setTimeout(() => (el.className = ''), 2500);
}
