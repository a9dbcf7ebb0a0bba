import { MinuteBudget } from './budget.ts';
import {
  WeComApiError, WeComUnavailable,
  type CorpTagGroup, type ExternalContact, type GroupChat, type GroupMsgResult, type GroupMsgTask, type JoinWay, type JoinWaySettings, type MiniProgramCard, type WeComClient, type WelcomeTemplate,
} from './client.ts';

export interface HttpWeComOptions {
  /** `https://qyapi.weixin.qq.com/cgi-bin` in production; the fake's URL in tests. */
  apiBase: string;
  corpId: string;
  /** The secret of the self-built app listed under 客户联系 «可调用接口的应用». */
  secret: string;
  /** This node's share of WeCom's per-corp, per-API limit (10,000/min). */
  budgetPerMinute: number;
  /** The budget's window: a minute, as WeCom counts (shorter only in tests and drills). */
  budgetWindowMs?: number;
  /** Retries after 45009/45033, waiting a random time below `backoffMs`, doubling. */
  rateLimitRetries: number;
  backoffMs: number;
  timeoutMs: number;
  /** Every call's outcome, for metrics: `ok`, an errcode, or `unavailable`. */
  observe?: (api: string, outcome: string) => void;
}

interface CachedToken {
  value: string;
  /** Refresh from here on: a tenth of its life before WeCom's expiry. */
  refreshAt: number;
}

type Body = Record<string, unknown>;

/**
 * WeCom's HTTP API. The access token is cached per corp and app, refreshed before `expires_in` runs
 * out, and refreshed once more when WeCom says it is stale (40014, 42001) though it should not be
 * (WeCom may revoke tokens early). Each API has its own minute budget, as WeCom counts them.
 */
export class HttpWeComClient implements WeComClient {
  private token: CachedToken | undefined;
  private tokenFetch: Promise<string> | undefined;
  private readonly budgets = new Map<string, MinuteBudget>();

  constructor(private readonly options: HttpWeComOptions) {}

  async addJoinWay(settings: JoinWaySettings): Promise<string> {
    const { config_id } = await this.post<{ config_id: string }>('externalcontact/groupchat/add_join_way', joinWayBody(settings));
    return config_id;
  }

  async getJoinWay(configId: string): Promise<JoinWay> {
    const { join_way: w } = await this.post<{ join_way: Body }>('externalcontact/groupchat/get_join_way', { config_id: configId });
    return {
      configId: String(w.config_id),
      scene: Number(w.scene) as 1 | 2,
      chatIds: (w.chat_id_list as string[] | undefined) ?? [],
      autoCreateRoom: Number(w.auto_create_room) === 1,
      ...(w.room_base_name ? { roomBaseName: String(w.room_base_name) } : {}),
      ...(w.room_base_id !== undefined ? { roomBaseId: Number(w.room_base_id) } : {}),
      state: String(w.state ?? ''),
      ...(w.remark ? { remark: String(w.remark) } : {}),
      qrCode: String(w.qr_code ?? ''),
    };
  }

  async updateJoinWay(configId: string, settings: JoinWaySettings): Promise<void> {
    await this.post('externalcontact/groupchat/update_join_way', { config_id: configId, ...joinWayBody(settings) });
  }

  async delJoinWay(configId: string): Promise<void> {
    await this.post('externalcontact/groupchat/del_join_way', { config_id: configId });
  }

  async listGroupChats({ cursor, limit = 1000 }: { cursor?: string; limit?: number }) {
    const reply = await this.post<{ group_chat_list: Array<{ chat_id: string; status: number }>; next_cursor?: string }>(
      'externalcontact/groupchat/list',
      { status_filter: 0, limit: Math.min(Math.max(limit, 1), 1000), ...(cursor ? { cursor } : {}) },
    );
    return {
      chats: reply.group_chat_list.map((c) => ({ chatId: c.chat_id, status: c.status })),
      ...(reply.next_cursor ? { nextCursor: reply.next_cursor } : {}),
    };
  }

  async getGroupChat(chatId: string): Promise<GroupChat> {
    const { group_chat: g } = await this.post<{ group_chat: Body }>('externalcontact/groupchat/get', { chat_id: chatId, need_name: 1 });
    return {
      chatId: String(g.chat_id),
      name: String(g.name ?? ''),
      owner: String(g.owner ?? ''),
      members: ((g.member_list as Body[] | undefined) ?? []).map((m) => ({
        userId: String(m.userid),
        type: Number(m.type),
        joinTime: Number(m.join_time ?? 0),
        ...(m.unionid ? { unionId: String(m.unionid) } : {}),
        ...(m.state ? { state: String(m.state) } : {}),
      })),
    };
  }

  async addWelcomeTemplate(template: WelcomeTemplate): Promise<string> {
    const { template_id } = await this.post<{ template_id: string }>('externalcontact/group_welcome_template/add', welcomeBody(template));
    return template_id;
  }

  async editWelcomeTemplate(templateId: string, template: WelcomeTemplate): Promise<void> {
    await this.post('externalcontact/group_welcome_template/edit', { template_id: templateId, ...welcomeBody(template) });
  }

  async uploadImage(image: Uint8Array, filename: string): Promise<{ mediaId: string; createdAt: number }> {
    const form = new FormData();
    form.append('media', new Blob([image], { type: /\.png$/i.test(filename) ? 'image/png' : 'image/jpeg' }), filename);
    const reply = await this.send<{ media_id: string; created_at: string | number }>('media/upload', form, { type: 'image' });
    return { mediaId: reply.media_id, createdAt: Number(reply.created_at) * 1000 };
  }

  async addGroupMsg(message: { sender: string; chatIds: string[]; text: string; miniprogram?: MiniProgramCard }): Promise<{ msgId: string; failList: string[] }> {
    const reply = await this.post<{ msgid: string; fail_list?: string[] }>('externalcontact/add_msg_template', {
      chat_type: 'group',
      sender: message.sender,
      chat_id_list: message.chatIds,
      text: { content: message.text },
      ...(message.miniprogram ? { attachments: [{ msgtype: 'miniprogram', miniprogram: cardBody(message.miniprogram) }] } : {}),
    });
    return { msgId: reply.msgid, failList: reply.fail_list ?? [] };
  }

  async getGroupMsgTask(msgId: string): Promise<GroupMsgTask[]> {
    const tasks: GroupMsgTask[] = [];
    for (let cursor = ''; ;) {
      const reply = await this.post<{ task_list?: Body[]; next_cursor?: string }>('externalcontact/get_groupmsg_task', { msgid: msgId, limit: 1000, ...(cursor ? { cursor } : {}) });
      tasks.push(...(reply.task_list ?? []).map((t) => ({ userId: String(t.userid), status: Number(t.status) })));
      if (!reply.next_cursor) return tasks;
      cursor = reply.next_cursor;
    }
  }

  async getGroupMsgSendResult(msgId: string, userId: string): Promise<GroupMsgResult[]> {
    const results: GroupMsgResult[] = [];
    for (let cursor = ''; ;) {
      const reply = await this.post<{ send_list?: Body[]; next_cursor?: string }>('externalcontact/get_groupmsg_send_result', { msgid: msgId, userid: userId, limit: 1000, ...(cursor ? { cursor } : {}) });
      results.push(...(reply.send_list ?? []).map((r) => ({ chatId: String(r.chat_id ?? ''), status: Number(r.status) })));
      if (!reply.next_cursor) return results;
      cursor = reply.next_cursor;
    }
  }

  async getCorpTags(): Promise<CorpTagGroup[]> {
    const { tag_group: groups } = await this.post<{ tag_group?: Body[] }>('externalcontact/get_corp_tag_list', {});
    return (groups ?? []).filter((g) => !g.deleted).map(tagGroupOf);
  }

  async addCorpTags(groupName: string, names: string[]): Promise<CorpTagGroup> {
    const { tag_group: group } = await this.post<{ tag_group: Body }>('externalcontact/add_corp_tag', { group_name: groupName, tag: names.map((name) => ({ name })) });
    return tagGroupOf(group);
  }

  async markTag(userId: string, externalUserId: string, add: string[]): Promise<void> {
    await this.post('externalcontact/mark_tag', { userid: userId, external_userid: externalUserId, add_tag: add });
  }

  async getExternalContact(externalUserId: string): Promise<ExternalContact> {
    // A GET: its query names the customer (developer.work.weixin.qq.com doc 92114).
    const reply = await this.send<{ external_contact: Body; follow_user?: Body[] }>('externalcontact/get', undefined, { external_userid: externalUserId });
    const contact = reply.external_contact;
    return {
      externalUserId: String(contact.external_userid),
      ...(contact.unionid ? { unionId: String(contact.unionid) } : {}),
      followUsers: (reply.follow_user ?? []).map((f) => String(f.userid)),
    };
  }

  /** One API call: budget, token, and the retries its errcode allows. */
  private post<T = Body>(api: string, body: Body): Promise<T> {
    return this.send<T>(api, body);
  }

  /** A POST with `body` (JSON, or a multipart form), or a GET with `query` alone. */
  private async send<T>(api: string, body: Body | FormData | undefined, query: Record<string, string> = {}): Promise<T> {
    let refreshed = false;
    for (let attempt = 0; ; attempt++) {
      try {
        return (await this.call(api, await this.accessToken(), body, query)) as T;
      } catch (err) {
        if (!(err instanceof WeComApiError)) throw err;
        if (err.staleToken && !refreshed) {
          refreshed = true;
          this.token = undefined;
        } else if (err.rateLimited && attempt < this.options.rateLimitRetries) {
          // Full jitter: the nodes and calls that hit the limit together do not retry together.
          await new Promise((r) => setTimeout(r, Math.random() * this.options.backoffMs * 2 ** attempt));
        } else {
          throw err;
        }
      }
    }
  }

  private async accessToken(): Promise<string> {
    if (this.token && Date.now() < this.token.refreshAt) return this.token.value;
    this.tokenFetch ??= this.fetchToken().finally(() => (this.tokenFetch = undefined));
    return this.tokenFetch;
  }

  private async fetchToken(): Promise<string> {
    const { corpId, secret } = this.options;
    const reply = (await this.call('gettoken', undefined, undefined, { corpid: corpId, corpsecret: secret })) as { access_token: string; expires_in: number };
    const lifeMs = reply.expires_in * 1000;
    this.token = { value: reply.access_token, refreshAt: Date.now() + lifeMs * 0.9 };
    return reply.access_token;
  }

  private async call(api: string, token: string | undefined, body: Body | FormData | undefined, query: Record<string, string> = {}): Promise<Body> {
    await this.budget(api).take();
    const url = new URL(`${this.options.apiBase.replace(/\/$/, '')}/${api}`);
    for (const [k, v] of Object.entries({ ...query, ...(token ? { access_token: token } : {}) })) url.searchParams.set(k, v);
    let reply: Body;
    try {
      const res = await fetch(url, {
        method: body ? 'POST' : 'GET',
        ...(body instanceof FormData ? { body } : body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      reply = (await res.json()) as Body;
    } catch (err) {
      this.options.observe?.(api, 'unavailable');
      throw new WeComUnavailable(`WeCom ${api} unreachable: ${(err as Error).message}`);
    }
    const errcode = Number(reply.errcode ?? 0);
    this.options.observe?.(api, errcode === 0 ? 'ok' : String(errcode));
    if (errcode !== 0) throw new WeComApiError(api, errcode, String(reply.errmsg ?? ''));
    return reply;
  }

  private budget(api: string): MinuteBudget {
    let budget = this.budgets.get(api);
    if (!budget) this.budgets.set(api, (budget = new MinuteBudget(this.options.budgetPerMinute, this.options.budgetWindowMs)));
    return budget;
  }
}

function cardBody(card: MiniProgramCard): Body {
  return { title: card.title, pic_media_id: card.picMediaId, appid: card.appId, page: card.page };
}

function welcomeBody(t: WelcomeTemplate): Body {
  return { ...(t.text ? { text: { content: t.text } } : {}), ...(t.miniprogram ? { miniprogram: cardBody(t.miniprogram) } : {}) };
}

function tagGroupOf(g: Body): CorpTagGroup {
  return {
    groupId: String(g.group_id),
    groupName: String(g.group_name),
    tags: ((g.tag as Body[] | undefined) ?? []).filter((t) => !t.deleted).map((t) => ({ id: String(t.id), name: String(t.name) })),
  };
}

function joinWayBody(s: JoinWaySettings): Body {
  return {
    scene: s.scene,
    chat_id_list: s.chatIds,
    auto_create_room: s.autoCreateRoom ? 1 : 0,
    state: s.state,
    ...(s.roomBaseName ? { room_base_name: s.roomBaseName } : {}),
    ...(s.roomBaseId !== undefined ? { room_base_id: s.roomBaseId } : {}),
    ...(s.remark ? { remark: s.remark } : {}),
  };
}
