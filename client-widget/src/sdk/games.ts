/**
 * In-group games as the SDK sends them. The games, their events and answers are the protocol's own
 * types (server/protocol/games.ts); what is declared here is the manager's input, which the server
 * checks with its own schema.
 */
import type { GameKind } from '../../../server/protocol/games.ts';

/** A manager's `game.open`: what `POST /v1/groups/:chat/games` takes; the server validates it and fills defaults. */
export type OpenGameInput = { kind: GameKind; id?: string; title?: string } & Record<string, unknown>;
