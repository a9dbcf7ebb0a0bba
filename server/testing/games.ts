import { viewerIds } from '../auth/viewer-ids.ts';
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { Games } from '../games/service.ts';
import { groupRoom } from '../games/group-room.ts';
import { createLogger } from '../observability/logger.ts';
import { LiveState } from '../platform/live-state.ts';
import type { Identity } from '../protocol/frames.ts';
import type { CheckInOutcome } from '../protocol/games.ts';
import { RoomService } from '../rooms/service.ts';
import type { TestClient } from './clients.ts';
import { engines, names, startTestNode, type EngineKind, type TestNode } from './node.ts';

/** The group of the in-group games suites, and its room. */
export const CHAT = 'wrChatGames01';
export const ROOM = groupRoom(CHAT);

export interface GamesSuite {
  engine: EngineKind;
  node(): TestNode;
  /** `n` members of the group, half on ws, half on socket.io, joined to its room. */
  members(n: number, prefix: string): Promise<TestClient[]>;
  /** Opens a game over HTTP (201) and answers it. */
  open(game: Record<string, unknown>): Promise<any>;
  /** A Games service on the node's engine, so a test can choose the instant of each check-in. */
  games(): Games;
  /** A member's check-in at the instant `now`, through the service. */
  checkIn(games: Games, member: Identity, game: string, now?: number): Promise<CheckInOutcome>;
  identity(sub: string): Identity;
}

/** `body` on each engine, with a node of its own and the helpers the games suites share. */
export function gamesSuite(title: string, body: (suite: GamesSuite) => void): void {
  for (const engine of engines) {
    describe(`${title} on ${engine}`, () => {
      let node: TestNode;
      before(async () => {
        node = await startTestNode({ engine });
      });
      after(() => node.close());
      body({
        engine,
        node: () => node,
        members: (n, prefix) => Promise.all([
          node.viewers('ws', ROOM, names(`${prefix}w`, Math.ceil(n / 2)), { chats: [CHAT] }),
          node.viewers('socket.io', ROOM, names(`${prefix}s`, Math.floor(n / 2)), { chats: [CHAT] }),
        ]).then(([a, b]) => [...a, ...b]),
        async open(game) {
          const res = await node.api('POST', `/v1/groups/${CHAT}/games`, game);
          assert.equal(res.status, 201, JSON.stringify(res.body));
          return res.body.game;
        },
        games() {
          const log = createLogger('silent');
          const { engine: onEngine } = node.node;
          return new Games(onEngine, new RoomService(onEngine), new LiveState(50, log), log, viewerIds(node.config.auth.jwtSecret));
        },
        async checkIn(games, member, game, now) {
          return games.checkIns.checkIn(member, await games.ofKind(ROOM, game, 'checkin'), now);
        },
        identity: (sub) => ({ sub, name: sub, role: 'viewer', tags: [], chats: [CHAT] }),
      });
    });
  }
}
