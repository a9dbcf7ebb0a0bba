import { z } from 'zod';
import { validated } from '../protocol/validate.ts';
import { checkInSchema } from './check-in/schema.ts';
import { drawSchema } from './lucky-draw/schema.ts';
import { redPacketSchema } from './red-packet/schema.ts';

/** `POST /v1/groups/:chat/games` and the manager's `game.open`: one of the kinds, each its folder's schema. */
export const openGameSchema = z.discriminatedUnion('kind', [checkInSchema, drawSchema, redPacketSchema]);
export type OpenGame = z.infer<typeof openGameSchema>;

export const parseOpenGame = (value: unknown): OpenGame => validated(openGameSchema, value);
