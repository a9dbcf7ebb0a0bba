import type { Handlers } from '../../core/handlers.ts';
import type { FiguresPusher } from './pusher.ts';
import type { Figures } from './service.ts';

/** A host's figures over the socket: now, pushed each second while they watch, and the per-minute timeline. */
export const figuresOps = (figures: Figures, pusher: FiguresPusher): Handlers<'figures' | 'figures.watch' | 'figures.timeline'> => ({
  async figures(session, { room }) {
    session.requireHostOf(room);
    return { figures: await figures.of(room) };
  },
  async 'figures.watch'(session, { room }) {
    session.requireHostOf(room);
    session.requireMember(room);
    pusher.watch(room, session);
    return { figures: await figures.of(room) };
  },
  async 'figures.timeline'(session, { room }) {
    session.requireHostOf(room);
    return { minutes: await figures.timeline(room) };
  },
});
