/** The WeCom API client against the fake WeCom over real HTTP: tokens, errcodes, budgets. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { FakeWeCom } from '../../../load/fake-wecom/wecom.ts';
import { MinuteBudget } from './budget.ts';
import { WeComApiError } from './client.ts';
import { HttpWeComClient, type HttpWeComOptions } from './http-client.ts';

const corp = { corpId: 'ww-client-test', secret: 'client-secret', token: 'tok', aesKey: 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR' };
let wecom: FakeWeCom;
const client = (options: Partial<HttpWeComOptions> = {}) =>
  new HttpWeComClient({ apiBase: wecom.apiBase, corpId: corp.corpId, secret: corp.secret, budgetPerMinute: 1000, rateLimitRetries: 2, backoffMs: 10, timeoutMs: 2000, ...options });

before(async () => {
  wecom = await FakeWeCom.start({ ...corp, budgetPerMinute: 40 });
});
after(() => wecom.close());

test('the token is fetched once and cached; a revoked one (40014) is refreshed once and the call retried', async () => {
  const api = client();
  const chatId = wecom.createGroup('g');
  const issued = wecom.tokensIssued;
  await Promise.all([api.getGroupChat(chatId), api.getGroupChat(chatId), api.getGroupChat(chatId)]);
  assert.equal(wecom.tokensIssued - issued, 1, 'concurrent first calls share one gettoken');
  wecom.revokeTokens();
  const chat = await api.getGroupChat(chatId);
  assert.equal(chat.members.length, 1);
  assert.equal(wecom.tokensIssued - issued, 2);
});

test('join ways: add, get (the only call with the QR code), update, list paging, and WeCom refusals as typed errors', async () => {
  const api = client();
  const chats = [wecom.createGroup('a'), wecom.createGroup('b')];
  const configId = await api.addJoinWay({ scene: 2, chatIds: chats, autoCreateRoom: true, roomBaseName: 'g', roomBaseId: 1, state: 'rc-state' });
  const way = await api.getJoinWay(configId);
  assert.deepEqual([way.chatIds, way.state, way.autoCreateRoom], [chats, 'rc-state', true]);
  assert.match(way.qrCode, /^https:\/\//);
  await api.updateJoinWay(configId, { ...way, chatIds: [chats[1]!] });
  assert.deepEqual((await api.getJoinWay(configId)).chatIds, [chats[1]]);
  const tooMany = api.addJoinWay({ scene: 2, chatIds: ['1', '2', '3', '4', '5', '6'], autoCreateRoom: true, state: 's' });
  await assert.rejects(tooMany, (err) => err instanceof WeComApiError && err.errcode === 40058);
  const first = await api.listGroupChats({ limit: 1 });
  assert.equal(first.chats.length, 1);
  assert.ok(first.nextCursor);
  await api.delJoinWay(configId);
  await assert.rejects(api.getJoinWay(configId), (err) => err instanceof WeComApiError && err.errcode === 41044);
});

test('past WeCom\'s minute limit (45009) the client backs off and retries, then surfaces a typed error', async () => {
  const api = client();
  const chatId = wecom.createGroup('busy');
  const results = await Promise.allSettled(Array.from({ length: 60 }, () => api.getGroupChat(chatId)));
  const refused = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason);
  assert.ok(refused.length > 0 && refused.every((err) => err instanceof WeComApiError && err.rateLimited), 'typed 45009 errors');
  assert.ok(wecom.rateLimited >= refused.length * 3, 'each refused call was tried three times');
});

test('the budget never lets more than N calls through in one window: the rest wait for it to slide', async () => {
  const budget = new MinuteBudget(3, 1000);
  const passed: Array<[number, number]> = [];
  // The times the budget counted each call at: a stamp taken in a .then could lag its own by a tick.
  const calls = Array.from({ length: 5 }, (_, i) => budget.take().then((at) => passed.push([i, at])));
  await Promise.all(calls);
  assert.deepEqual(passed.map(([i]) => i), [0, 1, 2, 3, 4]);
  assert.ok(passed[3]![1] - passed[0]![1] >= 1000, 'the fourth call went a full window after the first');
});
