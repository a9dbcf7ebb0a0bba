/**
 * WeCom routing against the fake WeCom under load/, over real HTTP: viewers routed by rules into
 * pools, groups filling to the cap and rotating out of join ways, joins attributed to their room
 * through encrypted, signed callbacks, duplicates counted once, forgeries refused.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FakeMall } from '../../load/fake-mall/mall.ts';
import { FakeWeCom } from '../../load/fake-wecom/wecom.ts';
import { engines, names, startTestNode, type TestNode } from '../testing/node.ts';
import type { TestClient } from '../testing/clients.ts';
import { toFlatXml } from './xml.ts';

const CAP = 20;
const corp = { corpId: 'ww-test-corp', secret: 'test-wecom-secret', token: 'testtoken', aesKey: 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR' };

for (const engine of engines) {
  describe(`WeCom routing on ${engine}`, () => {
    let node: TestNode;
    let wecom: FakeWeCom;
    const groups: Record<string, string[]> = {};
    const route = async (client: TestClient) => {
      const reply = (await client.request('wecom.route', {})) as any;
      assert.equal(reply.ok, true, JSON.stringify(reply));
      return reply.data.join as { groupName: string; qrCode: string; configId: string };
    };
    const figures = async () => (await node.api('GET', '/v1/wecom/figures')).body.figures as Array<{ room: string; pool: string; routed: number; joined: number }>;
    const poolView = async (id: string) => ((await node.api('GET', '/v1/wecom/pools')).body.pools as any[]).find((p) => p.id === id);

    before(async () => {
      wecom = await FakeWeCom.start({ ...corp, scanCap: CAP });
      node = await startTestNode({ engine, config: { wecom: { ...corp, apiBase: wecom.apiBase, groupCap: CAP } } });
      wecom.callbackTo(`${node.baseUrl}/v1/wecom/callback`);
      groups.fresh = ['新人群1', '新人群2', '新人群3'].map((n) => wecom.createGroup(n));
      groups.vip = [wecom.createGroup('VIP群1')];
      groups.buyers = [wecom.createGroup('买家群1')];
      const pools = [
        { id: 'fresh', name: 'Newcomers', priority: 100, chatIds: groups.fresh, roomBaseName: '新人群', roomBaseId: 4 },
        { id: 'vip', name: 'VIPs', priority: 10, rule: { tags: ['vip'] }, chatIds: groups.vip, roomBaseName: 'VIP群', roomBaseId: 2 },
        { id: 'buyers', name: 'Buyers', priority: 1, rule: { bought: true }, chatIds: groups.buyers, roomBaseName: '买家群', roomBaseId: 2 },
      ];
      for (const pool of pools) {
        const created = await node.api('POST', '/v1/wecom/pools', pool);
        assert.equal(created.status, 201, JSON.stringify(created.body));
      }
      await node.api('POST', '/v1/rooms', { id: 'live', title: 'live' });
    });
    after(async () => {
      await node.close();
      await wecom.close();
    });

    test('the callback URL check answers the decrypted echostr and nothing else', async () => {
      const check = await wecom.verifyUrl();
      assert.deepEqual([check.status, check.body], [200, check.expected]);
    });

    test('1,000 viewers routed at once by rules: one join way per pool and room, VIPs to the VIP pool', async () => {
      const vips = await node.viewers('ws', 'live', names('vip', 100), { tags: ['vip'] });
      const crowd = await node.viewers('ws', 'live', names('viewer', 900));
      const answers = await Promise.all([...vips, ...crowd].map(route));
      const vipWays = new Set(answers.slice(0, 100).map((a) => a.configId));
      const crowdWays = new Set(answers.slice(100).map((a) => a.configId));
      assert.equal(vipWays.size, 1);
      assert.equal(crowdWays.size, 1);
      assert.equal(wecom.joinWays.size, 2, 'one join way per pool and room, despite 1,000 concurrent routes');
      assert.match(answers[0]!.qrCode, /^https:\/\//);
      assert.equal(answers[0]!.groupName, 'VIP群1');
      const byPool = Object.fromEntries((await figures()).map((f) => [f.pool, f.routed]));
      assert.deepEqual(byPool, { fresh: 900, vip: 100 });
      const way = wecom.joinWays.get([...crowdWays][0]!)!;
      assert.equal(way.chat_id_list.length, 3);
      assert.ok(way.state.length <= 30);
    });

    test('groups fill to the cap one after another, rotate out of the join way, and WeCom opens the next; joins count for the room', async () => {
      const [viewer] = await node.viewers('ws', 'live', ['scanner']);
      const { configId } = await route(viewer!);
      for (let i = 0; i < 3 * (CAP - 1) + 5; i++) await wecom.scan(configId, `ext${i}`);
      // Each group holds its owner and CAP - 1 customers: full, in order, then one WeCom made.
      assert.deepEqual(groups.fresh!.map((id) => wecom.customers(id)), [CAP - 1, CAP - 1, CAP - 1]);
      const pool = await poolView('fresh');
      assert.equal(pool.groups.length, 4, 'the group WeCom opened joined the pool');
      const opened = pool.groups.find((g: any) => !groups.fresh!.includes(g.chatId));
      assert.equal(opened.name, '新人群4');
      assert.equal(wecom.customers(opened.chatId), 5);
      assert.deepEqual(wecom.joinWays.get(configId)!.chat_id_list, [opened.chatId], 'full groups rotated out');
      assert.deepEqual(pool.groups.map((g: any) => g.members).sort((a: number, b: number) => a - b), [6, CAP, CAP, CAP]);
      const live = (await figures()).find((f) => f.room === 'live' && f.pool === 'fresh')!;
      assert.equal(live.joined, 3 * (CAP - 1) + 5);
    });

    test('a callback sent twice is counted once', async () => {
      // A leave: its count moves by MemChangeCnt alone (a join is read back from groupchat/get, which
      // would hide a double count), so only the de-duplication keeps the repeat from counting.
      const { configId } = await route((await node.viewers('ws', 'live', ['twice']))[0]!);
      const chatId = await wecom.scan(configId, 'ext-twice');
      await wecom.leave(chatId, 'ext-twice');
      const members = async () => (await poolView('fresh')).groups.find((g: any) => g.chatId === chatId).members;
      const afterLeave = await members();
      assert.equal(afterLeave, wecom.groups.get(chatId)!.members.length);
      assert.equal(await wecom.resendLast(), 200);
      assert.equal(await members(), afterLeave);
    });

    test('a viewer who joined a group through its join way may enter the group room by their unionid alone', async () => {
      const { configId } = await route((await node.viewers('ws', 'live', ['union-member']))[0]!);
      // The add_member callback re-reads the group (groupchat/get): its roster now has the unionid.
      const chatId = await wecom.scan(configId, 'ext-union-member', 'union-member');
      const [member] = await node.viewers('ws', `group:${chatId}`, ['union-member']);
      assert.ok(member, 'no chats claim needed');
      await assert.rejects(node.viewers('ws', `group:${chatId}`, ['union-stranger']), /forbidden/);
      // Leaving the group takes them off the roster at once.
      await wecom.leave(chatId, 'ext-union-member');
      await assert.rejects(node.viewers('ws', `group:${chatId}`, ['union-member']), /forbidden/);
    });

    test('forged callbacks (bad signature, another corp, garbage, not XML) are refused and change nothing', async () => {
      const chatId = groups.vip![0]!;
      const before = await poolView('vip');
      const forged = toFlatXml({ ToUserName: corp.corpId, Event: 'change_external_chat', ChatId: chatId, ChangeType: 'update', UpdateDetail: 'add_member', MemChangeCnt: 50, CurMemVer: 'forged' });
      assert.equal((await wecom.postCallback(forged, 'signature')).status, 401);
      assert.equal((await wecom.postCallback(forged, 'receiver')).status, 401);
      assert.equal((await wecom.postCallback(forged, 'garbage')).status, 400);
      const notXml = await fetch(`${node.baseUrl}/v1/wecom/callback?msg_signature=x&timestamp=1&nonce=2`, { method: 'POST', body: '{"json":true}' });
      assert.equal(notXml.status, 400);
      // Bodies no WeCom callback comes near: refused before they are read further.
      const huge = await fetch(`${node.baseUrl}/v1/wecom/callback?msg_signature=x&timestamp=1&nonce=2`, { method: 'POST', body: `<xml>${'<a>'.repeat(11_000)}</xml>` });
      assert.equal(huge.status, 413);
      // A crafted body under the limit: its Encrypt is all that is read, and the signature refuses it.
      const crafted = await fetch(`${node.baseUrl}/v1/wecom/callback?msg_signature=${'0'.repeat(40)}&timestamp=1&nonce=2`, { method: 'POST', body: `<xml><Encrypt><![CDATA[abc]]></Encrypt>${'<a>'.repeat(10_000)}</xml>` });
      assert.equal(crafted.status, 401);
      assert.deepEqual(await poolView('vip'), before);
      // Properly sealed, it is applied, and the count is then read back from groupchat/get: a
      // callback's numbers never outlive what WeCom itself reports.
      assert.equal((await wecom.postCallback(forged)).status, 200);
      assert.equal((await poolView('vip')).groups[0].members, wecom.groups.get(chatId)!.members.length);
    });

    test('a viewer who pays is invited to the buyers pool, and is routed there from then on', async () => {
      const mall = await FakeMall.start({ secret: node.config.mall.secret, notifyUrl: `${node.baseUrl}/v1/mall/notify` });
      try {
        await node.api('POST', '/v1/rooms/live/flash-sales', { id: 'tea', product: { id: 'p', title: 'Tea', price: 100 }, price: 90, stock: 5 });
        await node.api('POST', '/v1/rooms/live/flash-sales/tea/start');
        const [buyer] = await node.viewers('ws', 'live', ['payer']);
        assert.notEqual((await route(buyer!)).groupName, '买家群1');
        const order = ((await buyer!.request('flash.buy', { room: 'live', sale: 'tea', requestId: 'b' })) as any).data.order;
        assert.equal((await mall.notify({ orderId: order.id, mallOrderId: 'M1', status: 'paid', amount: order.amount })).status, 200);
        const invite = await buyer!.waitFor(() => buyer!.events('wecom.invite')[0], 'wecom.invite');
        assert.equal((invite.data as any).groupName, '买家群1');
        assert.equal((await route(buyer!)).groupName, '买家群1');
      } finally {
        await mall.close();
      }
    });
  });
}
