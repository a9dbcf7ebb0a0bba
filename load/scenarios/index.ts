import { fanout } from './fanout.ts';
import { joinWave } from './join-wave.ts';
import { multiNode } from './multi-node.ts';
import { overload } from './overload.ts';
import { rooms } from './rooms.ts';
import type { Scenario } from './scenario.ts';
import { saturation } from './saturation.ts';
import { storm } from './storm.ts';
import { viewers } from './viewers.ts';

/** The standard set `npm run bench` runs, in this order. */
export const standard: Scenario[] = [fanout, viewers, saturation, multiNode, rooms, overload, storm, joinWave];
