import type { Session } from './session.ts';
import type { Op, OpName } from '../protocol/ops.ts';

/** Handlers for some ops, each receiving its op's validated arguments. */
export type Handlers<K extends OpName> = { [P in K]: (session: Session, op: Extract<Op, { op: P }>) => Promise<unknown> };
