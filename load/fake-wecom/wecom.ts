import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WeComCrypto } from '../../server/wecom/crypto.ts';
import { toFlatXml } from '../../server/wecom/xml.ts';

/**
 * A stand-in for WeCom's API and its callbacks, speaking the real wire format: `gettoken` and the
 * `externalcontact/groupchat/*` calls with WeCom's field names and errcodes (40014 for a revoked
 * token, 45009 past the per-API minute budget), customer groups whose members change on command
 * (a viewer scanning a join way's QR code lands in the first listed group with room, or in a group
 * WeCom opens itself), and `change_external_chat` callbacks POSTed encrypted and signed as WeCom does.
 */
export interface FakeWeComOptions {
  corpId: string;
  secret: string;
  /** Callback token and EncodingAESKey, as configured on the app's callback page. */
  token: string;
  aesKey: string;
  /** Where callbacks go (Roomcast's /v1/wecom/callback); settable later with `callbackTo`. */
  callbackUrl?: string;
  /** Per API, per minute (WeCom: 10,000). */
  budgetPerMinute?: number;
  /** The budget's window: a minute, as WeCom counts; shorter in tests that drain a storm. */
  windowMs?: number;
  /** Group mass messages a group takes before more are skipped (WeCom: days in the month). */
  groupMsgQuota?: number;
  /** Members a group takes by QR scan before the next listed group is used (WeCom: 200). */
  scanCap?: number;
  tokenLifeSec?: number;
}

interface Member {
  userid: string;
  type: number;
  join_time: number;
  join_scene: number;
  state?: string;
  unionid?: string;
}

interface Group {
  chat_id: string;
  name: string;
  owner: string;
  members: Member[];
  version: number;
}

interface JoinWayRecord {
  scene: number;
  chat_id_list: string[];
  auto_create_room: number;
  room_base_name?: string;
  room_base_id?: number;
  state: string;
  remark?: string;
}

type Reply = Record<string, unknown>;

interface Contact {
  unionid?: string;
  /** Staff members whose customer this is, and the corp tags on each pair. */
  follow: Map<string, Set<string>>;
}

interface TagGroup {
  name: string;
  tags: Map<string, string>;
}

export class FakeWeCom {
  readonly groups = new Map<string, Group>();
  readonly joinWays = new Map<string, JoinWayRecord>();
  /** Calls per API path (gettoken included), and how many were refused for the budget. */
  readonly calls = new Map<string, number>();
  rateLimited = 0;
  tokensIssued = 0;
  /** Callbacks POSTed, and the HTTP status each got. */
  readonly callbacks: Array<{ status: number; event: Record<string, string | number | string[]> }> = [];
  private readonly crypto: WeComCrypto;
  private readonly tokens = new Set<string>();
  private readonly minute = new Map<string, number[]>();
  /** Welcome templates by id, as added or last edited. */
  readonly templates = new Map<string, Reply>();
  /** Uploaded images: media id -> when it lapses (3 days after upload). */
  readonly media = new Map<string, { expiresAt: number; bytes: number }>();
  /** Group mass-send tasks: the owner's confirmation, and each group's result. */
  readonly groupMsgs = new Map<string, { sender: string; chats: string[]; confirmed: boolean; results: Map<string, number>; body: Reply }>();
  /** Mass messages each group received. */
  private readonly received = new Map<string, number>();
  /** Customers by external_userid. */
  readonly contacts = new Map<string, Contact>();
  readonly tagGroups = new Map<string, TagGroup>();
  /** How many times each tag was put on each customer by `mark_tag` (`external_userid|tag_id`). */
  readonly marks = new Map<string, number>();
  /** APIs the app is not allowed (48002), as when it is not listed under 可调用接口的应用. */
  private readonly denied = new Set<string>();
  /** APIs whose calls wait unanswered (`stall`), and what ends the wait. */
  private readonly stalls = new Map<string, { waiting: Set<IncomingMessage>; release: Promise<void>; open: () => void }>();
  private next = 1;

  private constructor(private readonly server: Server, private readonly options: FakeWeComOptions) {
    this.crypto = new WeComCrypto(options.token, options.aesKey, options.corpId);
  }

  static async start(options: FakeWeComOptions, port = 0): Promise<FakeWeCom> {
    const server = createServer();
    const wecom = new FakeWeCom(server, options);
    server.on('request', (req, res) => {
      void wecom.handle(req, () => res.destroyed || req.socket.destroyed).then((reply) => reply && res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply)));
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return wecom;
  }

  get apiBase(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/cgi-bin`;
  }

  callbackTo(url: string): void {
    this.options.callbackUrl = url;
  }

  /** WeCom revoking every token early: the next call with one answers 40014. */
  revokeTokens(): void {
    this.tokens.clear();
  }

  /** A group a staff member created in the WeCom client (the API cannot create groups). */
  createGroup(name: string, owner = 'staff1'): string {
    const chatId = `wr${randomBytes(8).toString('hex')}`;
    this.groups.set(chatId, { chat_id: chatId, name, owner, members: [{ userid: owner, type: 1, join_time: now(), join_scene: 1 }], version: 1 });
    return chatId;
  }

  /**
   * A viewer adds a staff member (扫「联系我」): they become that member's customer, known by
   * `externalUserId` (the one they have as a group member, if any), and Roomcast gets the
   * `add_external_contact` callback.
   */
  async addContact(staff: string, externalUserId: string, unionId?: string): Promise<number> {
    const contact = this.contacts.get(externalUserId) ?? { ...(unionId ? { unionid: unionId } : {}), follow: new Map<string, Set<string>>() };
    if (!contact.follow.has(staff)) contact.follow.set(staff, new Set());
    this.contacts.set(externalUserId, contact);
    return this.sendEvent({ Event: 'change_external_contact', ChangeType: 'add_external_contact', UserID: staff, ExternalUserID: externalUserId, State: '', WelcomeCode: `wc${this.next++}` });
  }

  /** Every media id lapses now, as three days after upload. */
  expireMedia(): void {
    for (const m of this.media.values()) m.expiresAt = 0;
  }

  /**
   * The owner confirms a mass-send task in the WeCom client: each group gets it (1), unless it had
   * its quota of mass messages already (3: skipped).
   */
  confirm(msgId: string): void {
    const task = this.groupMsgs.get(msgId);
    if (!task) throw new Error(`no mass-send ${msgId}`);
    task.confirmed = true;
    for (const chat of task.chats) {
      const had = this.received.get(chat) ?? 0;
      if (had >= (this.options.groupMsgQuota ?? 31)) task.results.set(chat, 3);
      else {
        this.received.set(chat, had + 1);
        task.results.set(chat, 1);
      }
    }
  }

  /** The app loses (or regains) an API, as when an administrator edits 可调用接口的应用. */
  deny(api: string, denied = true): void {
    if (denied) this.denied.add(api);
    else this.denied.delete(api);
  }

  /**
   * Calls to `api` wait, unanswered, until `stall(api, false)`; a call whose caller has gone by then
   * (a node killed meanwhile) is dropped unprocessed, as a call that never reached WeCom.
   */
  stall(api: string, stalled = true): void {
    if (stalled) {
      let open!: () => void;
      const release = new Promise<void>((resolve) => (open = resolve));
      this.stalls.set(api, { waiting: new Set(), release, open });
    } else {
      this.stalls.get(api)?.open();
      this.stalls.delete(api);
    }
  }

  /** How many calls to a stalled `api` are waiting with their caller still there. */
  stalled(api: string): number {
    return [...(this.stalls.get(api)?.waiting ?? [])].filter((req) => !req.socket.destroyed).length;
  }

  /** An administrator deletes a corp tag in the admin console: its id is unknown from now on (40068). */
  deleteCorpTag(name: string): void {
    for (const group of this.tagGroups.values()) for (const [id, n] of group.tags) if (n === name) group.tags.delete(id);
  }

  /** The corp tags on a customer (by name), over all staff members they added. */
  tagsOf(externalUserId: string): string[] {
    const names = new Map([...this.tagGroups.values()].flatMap((g) => [...g.tags]));
    return [...new Set([...(this.contacts.get(externalUserId)?.follow.values() ?? [])].flatMap((tags) => [...tags]))].map((id) => names.get(id) ?? id).sort();
  }

  /** Customers in a group (staff excluded). */
  customers(chatId: string): number {
    return this.groups.get(chatId)?.members.filter((m) => m.type === 2).length ?? 0;
  }

  /**
   * A viewer scans the join way's QR code: they land in the first listed group under the scan cap,
   * or in a group WeCom opens (auto_create_room), and Roomcast gets the callbacks. Answers the group.
   */
  async scan(configId: string, userId: string, unionId?: string): Promise<string> {
    const way = this.joinWays.get(configId);
    if (!way) throw new Error(`no join way ${configId}`);
    const cap = this.options.scanCap ?? 200;
    let group = way.chat_id_list.map((id) => this.groups.get(id)!).find((g) => g.members.length < cap);
    if (!group) {
      if (!way.auto_create_room) throw new Error('every group of the join way is full');
      const chatId = this.createGroup(`${way.room_base_name ?? '群'}${way.room_base_id ?? 1}`);
      way.room_base_id = (way.room_base_id ?? 1) + 1;
      way.chat_id_list = [...way.chat_id_list.slice(1), chatId].slice(-5);
      group = this.groups.get(chatId)!;
      await this.sendEvent({ ChatId: chatId, ChangeType: 'create' });
    }
    group.members.push({ userid: userId, type: 2, join_time: now(), join_scene: 3, state: way.state, ...(unionId ? { unionid: unionId } : {}) });
    await this.memberChange(group, 'add_member', [userId]);
    return group.chat_id;
  }

  async leave(chatId: string, userId: string): Promise<void> {
    const group = this.groups.get(chatId)!;
    group.members = group.members.filter((m) => m.userid !== userId);
    await this.memberChange(group, 'del_member', [userId]);
  }

  /** Sends the last callback again, exactly (WeCom retries when an answer is slow). */
  async resendLast(): Promise<number> {
    const last = this.callbacks.at(-1);
    if (!last) throw new Error('no callback sent yet');
    return this.sendEvent(last.event, false);
  }

  /** A callback as WeCom would send it; `tamper` breaks what it names, for the refusal tests. */
  async postCallback(inner: string, tamper: 'signature' | 'receiver' | 'garbage' | 'none' = 'none'): Promise<{ status: number; body: string }> {
    const sealer = tamper === 'receiver' ? new WeComCrypto(this.options.token, this.options.aesKey, 'another-corp') : this.crypto;
    const encrypted = tamper === 'garbage' ? Buffer.from('garbage that is not a ciphertext').toString('base64') : sealer.encrypt(inner);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = randomBytes(6).toString('hex');
    const signature = tamper === 'signature' ? '0'.repeat(40) : this.crypto.signature(timestamp, nonce, encrypted);
    const url = new URL(this.options.callbackUrl!);
    url.search = new URLSearchParams({ msg_signature: signature, timestamp, nonce }).toString();
    const body = `<xml><ToUserName><![CDATA[${this.options.corpId}]]></ToUserName><AgentID><![CDATA[]]></AgentID><Encrypt><![CDATA[${encrypted}]]></Encrypt></xml>`;
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/xml' }, body });
    return { status: res.status, body: await res.text() };
  }

  /** The URL check WeCom does when the callback URL is saved: answers what Roomcast replied. */
  async verifyUrl(): Promise<{ status: number; body: string; expected: string }> {
    const expected = String(Math.floor(Math.random() * 1e18));
    const echostr = this.crypto.encrypt(expected);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = randomBytes(6).toString('hex');
    const url = new URL(this.options.callbackUrl!);
    url.search = new URLSearchParams({ msg_signature: this.crypto.signature(timestamp, nonce, echostr), timestamp, nonce, echostr }).toString();
    const res = await fetch(url);
    return { status: res.status, body: await res.text(), expected };
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async memberChange(group: Group, detail: 'add_member' | 'del_member', users: string[]): Promise<void> {
    const last = group.version++;
    await this.sendEvent({
      ChatId: group.chat_id, ChangeType: 'update', UpdateDetail: detail, ...(detail === 'add_member' ? { JoinScene: 3 } : { QuitScene: 0 }),
      MemChangeCnt: users.length, MemChangeList: users, LastMemVer: String(last), CurMemVer: String(group.version),
    });
  }

  private async sendEvent(fields: Record<string, string | number | string[]>, record = true): Promise<number> {
    if (!this.options.callbackUrl) return 0;
    const event = { ToUserName: this.options.corpId, FromUserName: 'sys', CreateTime: Math.floor(Date.now() / 1000), MsgType: 'event', Event: 'change_external_chat', ...fields };
    const { status } = await this.postCallback(toFlatXml(event));
    if (record) this.callbacks.push({ status, event });
    return status;
  }

  /** The reply to a call; undefined for a stalled call whose caller went away (`gone`). */
  private async handle(req: IncomingMessage, gone: () => boolean): Promise<Reply | undefined> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const api = url.pathname.replace(/^\/cgi-bin\//, '');
    const stall = this.stalls.get(api);
    if (stall) {
      stall.waiting.add(req);
      await stall.release;
      if (gone()) return undefined;
    }
    this.calls.set(api, (this.calls.get(api) ?? 0) + 1);
    if (!this.withinBudget(api)) {
      this.rateLimited++;
      return { errcode: 45009, errmsg: 'api freq out of limit' };
    }
    if (api === 'gettoken') return this.issueToken(url);
    if (!this.tokens.has(url.searchParams.get('access_token') ?? '')) return { errcode: 40014, errmsg: 'invalid access_token' };
    if (this.denied.has(api)) return { errcode: 48002, errmsg: 'api forbidden' };
    if (api === 'externalcontact/get') return this.externalContact(url.searchParams.get('external_userid') ?? '');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (api === 'media/upload') return this.upload(url, req.headers['content-type'] ?? '', Buffer.concat(chunks));
    let body: Reply;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString() || '{}') as Reply;
    } catch {
      return { errcode: 47001, errmsg: 'data format error' };
    }
    return this.route(api, body);
  }

  private route(api: string, body: Reply): Reply {
    switch (api) {
      case 'externalcontact/groupchat/add_join_way': {
        const invalid = this.invalidJoinWay(body);
        if (invalid) return invalid;
        const configId = `cfg${this.next++}`;
        this.joinWays.set(configId, joinWayOf(body));
        return { errcode: 0, errmsg: 'ok', config_id: configId };
      }
      case 'externalcontact/groupchat/get_join_way': {
        const way = this.joinWays.get(String(body.config_id));
        if (!way) return { errcode: 41044, errmsg: 'invalid config_id' };
        return { errcode: 0, errmsg: 'ok', join_way: { config_id: body.config_id, ...way, qr_code: `https://wwcdn.weixin.qq.com/fake/qr/${String(body.config_id)}.png` } };
      }
      case 'externalcontact/groupchat/update_join_way': {
        if (!this.joinWays.has(String(body.config_id))) return { errcode: 41044, errmsg: 'invalid config_id' };
        const invalid = this.invalidJoinWay(body);
        if (invalid) return invalid;
        this.joinWays.set(String(body.config_id), joinWayOf(body));
        return { errcode: 0, errmsg: 'ok' };
      }
      case 'externalcontact/groupchat/del_join_way':
        return this.joinWays.delete(String(body.config_id)) ? { errcode: 0, errmsg: 'ok' } : { errcode: 41044, errmsg: 'invalid config_id' };
      case 'externalcontact/groupchat/list': {
        const limit = Number(body.limit ?? 100);
        if (!(limit >= 1 && limit <= 1000)) return { errcode: 40058, errmsg: 'limit must be 1..1000' };
        const ids = [...this.groups.keys()].sort();
        const start = body.cursor ? ids.indexOf(String(body.cursor)) : 0;
        const page = ids.slice(Math.max(start, 0), Math.max(start, 0) + limit);
        const next = ids[Math.max(start, 0) + limit];
        return { errcode: 0, errmsg: 'ok', group_chat_list: page.map((chat_id) => ({ chat_id, status: 0 })), ...(next ? { next_cursor: next } : {}) };
      }
      case 'externalcontact/groupchat/get': {
        const group = this.groups.get(String(body.chat_id));
        if (!group) return { errcode: 40050, errmsg: 'chatid not exist' };
        return { errcode: 0, errmsg: 'ok', group_chat: { chat_id: group.chat_id, name: group.name, owner: group.owner, create_time: 0, member_list: group.members, admin_list: [], member_version: String(group.version) } };
      }
      case 'externalcontact/group_welcome_template/add': {
        if (this.templates.size >= 100) return { errcode: 41058, errmsg: 'template count exceeds limit' };
        const invalid = this.invalidCard(body.miniprogram as Reply | undefined);
        if (invalid) return invalid;
        const id = `tpl${this.next++}`;
        this.templates.set(id, body);
        return { errcode: 0, errmsg: 'ok', template_id: id };
      }
      case 'externalcontact/group_welcome_template/edit': {
        if (!this.templates.has(String(body.template_id))) return { errcode: 41062, errmsg: 'invalid template_id' };
        const invalid = this.invalidCard(body.miniprogram as Reply | undefined);
        if (invalid) return invalid;
        this.templates.set(String(body.template_id), body);
        return { errcode: 0, errmsg: 'ok' };
      }
      case 'externalcontact/add_msg_template':
        return this.addGroupMsg(body);
      case 'externalcontact/get_groupmsg_task': {
        const task = this.groupMsgs.get(String(body.msgid));
        if (!task) return { errcode: 41063, errmsg: 'invalid msgid' };
        return { errcode: 0, errmsg: 'ok', task_list: [{ userid: task.sender, status: task.confirmed ? 2 : 0, ...(task.confirmed ? { send_time: now() } : {}) }] };
      }
      case 'externalcontact/get_groupmsg_send_result': {
        const task = this.groupMsgs.get(String(body.msgid));
        if (!task) return { errcode: 41063, errmsg: 'invalid msgid' };
        if (String(body.userid) !== task.sender) return { errcode: 0, errmsg: 'ok', send_list: [] };
        return { errcode: 0, errmsg: 'ok', send_list: task.chats.map((chat_id) => ({ chat_id, userid: task.sender, status: task.results.get(chat_id) ?? 0 })) };
      }
      case 'externalcontact/get_corp_tag_list':
        return {
          errcode: 0, errmsg: 'ok',
          tag_group: [...this.tagGroups].map(([id, g]) => ({ group_id: id, group_name: g.name, tag: [...g.tags].map(([tagId, name]) => ({ id: tagId, name })) })),
        };
      case 'externalcontact/add_corp_tag':
        return this.addCorpTag(body);
      case 'externalcontact/mark_tag':
        return this.markTag(body);
      default:
        return { errcode: 60011, errmsg: `no such api ${api}` };
    }
  }

  /** `media/upload?type=image`: one multipart field `media`, JPG or PNG, 5 bytes to 10 MB. */
  private upload(url: URL, contentType: string, raw: Buffer): Reply {
    if (url.searchParams.get('type') !== 'image') return { errcode: 40004, errmsg: 'invalid media type' };
    const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
    if (!boundary) return { errcode: 41005, errmsg: 'media data missing' };
    const text = raw.toString('latin1');
    const start = text.indexOf('\r\n\r\n', text.indexOf('name="media"'));
    const end = text.indexOf(`\r\n--${boundary[1] ?? boundary[2]}`, start);
    if (!text.includes('name="media"') || start < 0 || end < 0) return { errcode: 41005, errmsg: 'media data missing' };
    const bytes = end - start - 4;
    if (bytes <= 5 || bytes > 10 * 1024 * 1024) return { errcode: 40005, errmsg: 'invalid file size' };
    const mediaId = `media${this.next++}${randomBytes(6).toString('hex')}`;
    this.media.set(mediaId, { expiresAt: Date.now() + 3 * 86_400_000, bytes });
    return { errcode: 0, errmsg: 'ok', type: 'image', media_id: mediaId, created_at: String(now()) };
  }

  /** A mini-program card: all four fields, a title of at most 64 bytes, a media id still valid. */
  private invalidCard(card: Reply | undefined): Reply | undefined {
    if (!card) return undefined;
    if (!card.title || !card.pic_media_id || !card.appid || !card.page) return { errcode: 40058, errmsg: 'miniprogram needs title, pic_media_id, appid and page' };
    if (Buffer.byteLength(String(card.title)) > 64) return { errcode: 40058, errmsg: 'title longer than 64 bytes' };
    if (!((this.media.get(String(card.pic_media_id))?.expiresAt ?? 0) > Date.now())) return { errcode: 40007, errmsg: 'invalid media_id' };
    return undefined;
  }

  /** A group mass-send task for the sender's groups (chat_id_list: at most 2,000, each the sender's). */
  private addGroupMsg(body: Reply): Reply {
    if (body.chat_type !== 'group') return { errcode: 40058, errmsg: 'chat_type group expected' };
    const sender = String(body.sender ?? '');
    const chats = ((body.chat_id_list as unknown[] | undefined) ?? []).map(String);
    if (!sender || !chats.length || chats.length > 2000) return { errcode: 40058, errmsg: 'sender and 1..2000 chat ids are required' };
    const card = ((body.attachments as Reply[] | undefined) ?? []).find((a) => a.msgtype === 'miniprogram')?.miniprogram as Reply | undefined;
    const invalid = this.invalidCard(card);
    if (invalid) return invalid;
    const fail = chats.filter((c) => this.groups.get(c)?.owner !== sender);
    const mine = chats.filter((c) => !fail.includes(c));
    const msgId = `msg${this.next++}`;
    if (mine.length) this.groupMsgs.set(msgId, { sender, chats: mine, confirmed: false, results: new Map(), body });
    return { errcode: 0, errmsg: 'ok', msgid: mine.length ? msgId : '', fail_list: fail };
  }

  private externalContact(externalUserId: string): Reply {
    const contact = this.contacts.get(externalUserId);
    if (!contact) return { errcode: 40096, errmsg: 'invalid external userid' };
    return {
      errcode: 0, errmsg: 'ok',
      external_contact: { external_userid: externalUserId, name: externalUserId, type: 1, ...(contact.unionid ? { unionid: contact.unionid } : {}) },
      follow_user: [...contact.follow].map(([userid, tags]) => ({ userid, createtime: now(), tags: [...tags].map((tag_id) => ({ tag_id, type: 1 })) })),
    };
  }

  /** WeCom's rules: names of at most 30 characters; an existing group name receives the tags; a name it has already is kept once. */
  private addCorpTag(body: Reply): Reply {
    const name = String(body.group_name ?? '');
    const tags = (body.tag as Array<{ name?: unknown }> | undefined) ?? [];
    if (!name || !tags.length) return { errcode: 40058, errmsg: 'group_name and tag are required' };
    if ([name, ...tags.map((t) => String(t.name ?? ''))].some((n) => !n || [...n].length > 30)) return { errcode: 40058, errmsg: 'names are 1..30 characters' };
    let groupId = [...this.tagGroups].find(([, g]) => g.name === name)?.[0];
    if (!groupId) this.tagGroups.set((groupId = `et${this.next++}`), { name, tags: new Map() });
    const group = this.tagGroups.get(groupId)!;
    for (const tag of tags) {
      if (![...group.tags.values()].includes(String(tag.name))) group.tags.set(`et${this.next++}`, String(tag.name));
    }
    return { errcode: 0, errmsg: 'ok', tag_group: { group_id: groupId, group_name: name, tag: [...group.tags].map(([id, n]) => ({ id, name: n })) } };
  }

  private markTag(body: Reply): Reply {
    const contact = this.contacts.get(String(body.external_userid));
    const tags = contact?.follow.get(String(body.userid));
    if (!contact || !tags) return { errcode: 84061, errmsg: 'not external contact' };
    const add = ((body.add_tag as unknown[] | undefined) ?? []).map(String);
    if (!add.length) return { errcode: 40058, errmsg: 'add_tag and remove_tag are both empty' };
    const known = new Set([...this.tagGroups.values()].flatMap((g) => [...g.tags.keys()]));
    if (add.some((id) => !known.has(id))) return { errcode: 40068, errmsg: 'invalid tagid' };
    for (const id of add) {
      tags.add(id);
      const key = `${String(body.external_userid)}|${id}`;
      this.marks.set(key, (this.marks.get(key) ?? 0) + 1);
    }
    return { errcode: 0, errmsg: 'ok' };
  }

  private invalidJoinWay(body: Reply): Reply | undefined {
    const list = body.chat_id_list as unknown;
    if (!Array.isArray(list) || list.length < 1 || list.length > 5) return { errcode: 40058, errmsg: 'chat_id_list must hold 1..5 chat ids' };
    if (list.some((id) => !this.groups.has(String(id)))) return { errcode: 40050, errmsg: 'chatid not exist' };
    if ([...String(body.state ?? '')].length > 30) return { errcode: 40058, errmsg: 'state longer than 30' };
    return undefined;
  }

  private issueToken(url: URL): Reply {
    if (url.searchParams.get('corpid') !== this.options.corpId) return { errcode: 40013, errmsg: 'invalid corpid' };
    if (url.searchParams.get('corpsecret') !== this.options.secret) return { errcode: 40001, errmsg: 'invalid credential' };
    const token = `tok${this.next++}${randomBytes(8).toString('hex')}`;
    this.tokens.add(token);
    this.tokensIssued++;
    return { errcode: 0, errmsg: 'ok', access_token: token, expires_in: this.options.tokenLifeSec ?? 7200 };
  }

  private withinBudget(api: string): boolean {
    const at = Date.now();
    const calls = (this.minute.get(api) ?? []).filter((t) => t > at - (this.options.windowMs ?? 60_000));
    this.minute.set(api, calls);
    if (calls.length >= (this.options.budgetPerMinute ?? 10_000)) return false;
    calls.push(at);
    return true;
  }
}

function joinWayOf(body: Reply): JoinWayRecord {
  return {
    scene: Number(body.scene ?? 2),
    chat_id_list: (body.chat_id_list as string[]).map(String),
    auto_create_room: Number(body.auto_create_room ?? 1),
    state: String(body.state ?? ''),
    ...(body.room_base_name ? { room_base_name: String(body.room_base_name) } : {}),
    ...(body.room_base_id !== undefined ? { room_base_id: Number(body.room_base_id) } : {}),
    ...(body.remark ? { remark: String(body.remark) } : {}),
  };
}

function now(): number {
  return Math.floor(Date.now() / 1000);
}
