/**
 * Warming a pool's groups against the fake WeCom over real HTTP: a welcome template with a
 * mini-program card whose cover is uploaded (multipart `media/upload`) and uploaded again before its
 * media id lapses, the groups that still need it applied; and the live announced to the pool's
 * groups once, one mass-send task per owner, each group shown pending, sent or skipped by its quota
 * as the owners confirm.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FakeWeCom } from '../../../load/fake-wecom/wecom.ts';
import { connect, waitFor } from '../../testing/clients.ts';
import { engines, startTestNode, type TestNode } from '../../testing/node.ts';

const corp = { corpId: 'ww-warm-corp', secret: 'test-wecom-secret', token: 'warmtoken', aesKey: 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR' };
/** A 1×1 PNG. */
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

for (const engine of engines) {
  describe(`warming WeCom groups (${engine})`, () => {
    let node: TestNode;
    let wecom: FakeWeCom;
    let groups: { mine: string[]; theirs: string };
    before(async () => {
      wecom = await FakeWeCom.start({ ...corp, groupMsgQuota: 1 });
      node = await startTestNode({
        engine,
        config: { wecom: { ...corp, apiBase: wecom.apiBase, miniprogram: { appId: 'wxbrand0001' }, coverRefreshMs: 1000, reconcileEveryMs: 1000 } },
      });
      wecom.callbackTo(`${node.baseUrl}/v1/wecom/callback`);
      groups = { mine: [wecom.createGroup('粉丝群1', 'staff1'), wecom.createGroup('粉丝群2', 'staff1')], theirs: wecom.createGroup('粉丝群3', 'staff2') };
      const pool = await node.api('POST', '/v1/wecom/pools', { id: 'fans', name: 'Fans', chatIds: [...groups.mine, groups.theirs], roomBaseName: '粉丝群', roomBaseId: 4 });
      assert.equal(pool.status, 201, JSON.stringify(pool.body));
    });
    after(async () => {
      await node.close();
      await wecom.close();
    });

    test('a welcome template with a mini-program card; the groups that still need it; its cover uploaded again before it lapses', async () => {
      const bad = [
        [{ text: 'hi', card: { title: 't', page: 'group' }, cover: Buffer.from('not an image').toString('base64') }, 'cover'],
        [{ text: 'hi', card: { title: 't', page: 'live' }, cover: PNG }, 'room'],
        [{ text: 'hi', card: { title: 'x'.repeat(65), page: 'group' }, cover: PNG }, 'title'],
      ] as const;
      for (const [body, field] of bad) {
        const refused = await node.api('PUT', '/v1/wecom/pools/fans/welcome', body);
        assert.deepEqual([refused.status, refused.body.error.code], [400, 'bad_request'], JSON.stringify(refused.body));
        assert.match(refused.body.error.message, new RegExp(field));
      }
      assert.equal((await node.api('PUT', '/v1/wecom/pools/nope/welcome', { text: 'hi', card: { title: 't', page: 'group' }, cover: PNG })).status, 404);

      const set = await node.api('PUT', '/v1/wecom/pools/fans/welcome', { text: '欢迎 %NICKNAME% 入群', card: { title: '直播间', page: 'group' }, cover: PNG });
      assert.equal(set.status, 200, JSON.stringify(set.body));
      const { welcome } = set.body;
      const template = wecom.templates.get(welcome.templateId)!;
      assert.deepEqual(template.miniprogram, { title: '直播间', pic_media_id: welcome.mediaId, appid: 'wxbrand0001', page: 'pages/group/index?pool=fans' });
      assert.deepEqual((template.text as { content: string }).content, '欢迎 %NICKNAME% 入群');
      assert.deepEqual(welcome.needsApplying.sort(), [...groups.mine, groups.theirs].sort());
      const applied = await node.api('POST', '/v1/wecom/pools/fans/welcome/applied', { chatIds: [groups.theirs] });
      assert.deepEqual(applied.body.welcome.needsApplying.sort(), [...groups.mine].sort());
      assert.equal((await node.api('POST', '/v1/wecom/pools/fans/welcome/applied', { chatIds: ['wrSomeoneElse'] })).status, 400);
      const listed = ((await node.api('GET', '/v1/wecom/pools')).body.pools as Array<{ id: string; welcome: { needsApplying: string[] } }>).find((p) => p.id === 'fans')!;
      assert.deepEqual(listed.welcome.needsApplying.sort(), [...groups.mine].sort(), 'the pools page says which groups still need it');

      // Three days on, WeCom forgets the cover: Roomcast has uploaded it again and pointed the template at it.
      wecom.expireMedia();
      await waitFor(() => {
        const id = String((wecom.templates.get(welcome.templateId)!.miniprogram as { pic_media_id: string }).pic_media_id);
        return (wecom.media.get(id)?.expiresAt ?? 0) > Date.now() || undefined;
      }, 'the template points at a cover uploaded again', 10_000);
      assert.equal(wecom.templates.size, 1, 'the same template, edited');

      // Staff mark a group while the cover is on its way up again: neither change undoes the other.
      wecom.stall('media/upload');
      wecom.expireMedia();
      await waitFor(() => wecom.stalled('media/upload') === 1 || undefined, 'a cover on its way up', 10_000);
      const before = (await node.api('GET', '/v1/wecom/pools/fans/welcome')).body.welcome.mediaId as string;
      const marking = node.api('POST', '/v1/wecom/pools/fans/welcome/applied', { chatIds: [groups.mine[0]] });
      // Time for the mark to reach the node while the upload hangs (were it late, the test would pass without a race).
      await new Promise((resolve) => setTimeout(resolve, 300));
      wecom.stall('media/upload', false);
      assert.equal((await marking).status, 200);
      const after = await waitFor(async () => {
        const { welcome: now } = (await node.api('GET', '/v1/wecom/pools/fans/welcome')).body;
        return now.mediaId !== before && now;
      }, 'the new cover kept', 10_000);
      assert.deepEqual(after.needsApplying, [groups.mine[1]], 'the group marked meanwhile stays marked');
    });

    test('the live announced to the pool\'s groups once, a task per owner; each group pending, sent or skipped by its quota', async () => {
      for (const id of ['first', 'second']) assert.equal((await node.api('POST', '/v1/rooms', { id, title: `春季上新 ${id}` })).status, 201);
      const first = await node.api('POST', '/v1/rooms/first/wecom/announce', { pool: 'fans' });
      assert.equal(first.status, 201, JSON.stringify(first.body));
      const { announcement } = first.body;
      assert.deepEqual(announcement.tasks.map((t: { owner: string; chats: string[] }) => [t.owner, t.chats.length]).sort(), [['staff1', 2], ['staff2', 1]]);
      assert.deepEqual(Object.values(announcement.groups), ['pending', 'pending', 'pending']);
      const sent = wecom.groupMsgs.get(announcement.tasks[0].msgId)!.body;
      assert.deepEqual((sent.attachments as Array<{ miniprogram: { page: string; appid: string } }>)[0]!.miniprogram.page, 'pages/live/index?room=first');
      assert.equal((await node.api('POST', '/v1/rooms/first/wecom/announce', { pool: 'fans' })).status, 409, 'once per live per pool');

      // The owners confirm in their clients: every group gets it, which uses its quota (1 here).
      for (const task of announcement.tasks) wecom.confirm(task.msgId);
      const read = (await node.api('GET', '/v1/rooms/first/wecom/announcements')).body.announcements[0];
      assert.deepEqual(Object.values(read.groups), ['sent', 'sent', 'sent']);

      // The host announces the next live over the socket; only staff1 confirms, and its groups are over quota.
      const host = await connect('ws', node.wsUrl, await node.token({ sub: 'host', role: 'host', rooms: ['second'] }));
      try {
        const reply = await host.request('wecom.announce', { room: 'second', pool: 'fans' });
        assert.equal(reply.ok, true, JSON.stringify(reply));
        const { tasks } = (reply as { data: { announcement: { tasks: Array<{ owner: string; msgId: string }> } } }).data.announcement;
        wecom.confirm(tasks.find((t) => t.owner === 'staff1')!.msgId);
        const again = await host.request('wecom.announce', { room: 'second', pool: 'fans' });
        assert.equal(!again.ok && again.error.code, 'already_done');
        const other = await host.request('wecom.announce', { room: 'first', pool: 'fans' });
        assert.equal(!other.ok && other.error.code, 'forbidden', 'a host of another room');
      } finally {
        await host.close();
      }
      const second = (await node.api('GET', '/v1/rooms/second/wecom/announcements')).body.announcements[0];
      assert.deepEqual(second.groups, { [groups.mine[0]!]: 'skipped', [groups.mine[1]!]: 'skipped', [groups.theirs]: 'pending' });
    });
  });
}
