import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { Redis } from 'ioredis';
import { testRedisUrl } from '../../../testing/node.ts';
import { Subscriptions } from './subscriptions.ts';

const prefix = `rctest-subs-${randomUUID().slice(0, 8)}`;
let subscriber: Redis;
let publisher: Redis;
let subscriptions: Subscriptions;
let commands: Array<{ command: string; channels: number }>;

before(async () => {
  subscriber = new Redis(testRedisUrl());
  publisher = new Redis(testRedisUrl());
  commands = [];
  // Watch what reaches the connection: the point is how many commands carry the channels.
  for (const command of ['subscribe', 'unsubscribe'] as const) {
    const send = subscriber[command].bind(subscriber) as (...channels: string[]) => Promise<unknown>;
    (subscriber as unknown as Record<string, unknown>)[command] = (...channels: string[]) => {
      commands.push({ command, channels: channels.length });
      return send(...channels);
    };
  }
  subscriptions = new Subscriptions((subscribe, channels) => (subscribe ? subscriber.subscribe(...channels) : subscriber.unsubscribe(...channels)).then(() => undefined));
});

after(async () => {
  subscriber.disconnect();
  publisher.disconnect();
});

const subscribers = async (channel: string) => ((await publisher.pubsub('NUMSUB', channel)) as [string, number])[1];

test('a wave of 500 subscriptions is one SUBSCRIBE, and every channel then receives', async () => {
  const channels = Array.from({ length: 500 }, (_, i) => `${prefix}:user:${i}`);
  await Promise.all(channels.map((c) => subscriptions.subscribe(c)));
  assert.deepEqual(commands, [{ command: 'subscribe', channels: 500 }]);
  const received = new Set<string>();
  subscriber.on('message', (channel: string) => received.add(channel));
  await Promise.all(channels.map((c) => publisher.publish(c, 'hi')));
  for (let i = 0; i < 50 && received.size < 500; i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(received.size, 500);
  await Promise.all(channels.map((c) => subscriptions.unsubscribe(c)));
  assert.deepEqual(commands.at(-1), { command: 'unsubscribe', channels: 500 });
  assert.equal(await subscribers(channels[0]!), 0);
});

test('within one turn the latest wish for a channel wins', async () => {
  const [leftThenBack, cameThenLeft] = [`${prefix}:a`, `${prefix}:b`];
  await subscriptions.subscribe(leftThenBack);
  commands = [];
  await Promise.all([subscriptions.unsubscribe(leftThenBack), subscriptions.subscribe(leftThenBack), subscriptions.subscribe(cameThenLeft), subscriptions.unsubscribe(cameThenLeft)]);
  assert.deepEqual(commands, [{ command: 'subscribe', channels: 1 }, { command: 'unsubscribe', channels: 1 }], 'one command per wish that won');
  assert.equal(await subscribers(leftThenBack), 1);
  assert.equal(await subscribers(cameThenLeft), 0);
});
