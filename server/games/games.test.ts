/**
 * In-group games on each engine: only the group's manager opens games and only its members enter
 * its room; a group flash sale is the live room's code. Each kind's own tests are in its folder.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CHAT, ROOM, gamesSuite } from '../testing/games.ts';

gamesSuite('in-group games', ({ node, members }) => {
  test('games in a group the manager does not manage are forbidden; strangers cannot join a group room', async () => {
    assert.equal((await node().api('POST', '/v1/rooms', { id: 'lobby', title: 'lobby' })).status, 201);
    const [manager] = await node().viewers('ws', 'lobby', ['mgr'], { role: 'manager', chats: ['wrOtherGroup'] });
    const refused = await manager!.request('game.open', { chat: CHAT, game: { kind: 'checkin' } });
    assert.equal(!refused.ok && refused.error.code, 'forbidden');
    const allowed = await manager!.request('game.open', { chat: 'wrOtherGroup', game: { kind: 'red-packet', total: 100, count: 2 } });
    assert.equal(allowed.ok, true);
    const badInput = await manager!.request('game.open', { chat: 'wrOtherGroup', game: { kind: 'red-packet', total: 1, count: 2 } });
    assert.equal(!badInput.ok && badInput.error.code, 'bad_request');
    await assert.rejects(node().viewers('ws', ROOM, ['stranger']), /forbidden/);
  });
  test('a group flash sale runs on the live-room code, in the group room', async () => {
    const [buyer] = await members(2, 'fs');
    assert.equal((await node().api('POST', `/v1/rooms/${ROOM}/flash-sales`, { id: 'gfs', product: { id: 'p', title: 'Tea', price: 100 }, price: 80, stock: 1 })).status, 201);
    assert.equal((await node().api('POST', `/v1/rooms/${ROOM}/flash-sales/gfs/start`)).status, 200);
    const bought = await buyer!.request('flash.buy', { room: ROOM, sale: 'gfs', qty: 1, requestId: 'r1' });
    assert.equal(bought.ok, true);
    await buyer!.waitFor(() => buyer!.state()['flash:gfs:left'] === 0, 'stock left as group-room state');
  });
});
