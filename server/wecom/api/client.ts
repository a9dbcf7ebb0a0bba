/** The seam to WeCom's API (企业微信 客户联系): the calls routing needs, in our own words. */

export interface JoinWaySettings {
  /** 1: mini-program plugin, 2: group QR code. */
  scene: 1 | 2;
  /** At most 5 groups; WeCom puts a joiner into the first one with room. */
  chatIds: string[];
  /** When every listed group is full, WeCom opens `<roomBaseName><roomBaseId++>` itself. */
  autoCreateRoom: boolean;
  roomBaseName?: string;
  roomBaseId?: number;
  /** At most 30 characters; comes back as each joined member's `state`. */
  state: string;
  remark?: string;
}

export interface JoinWay extends JoinWaySettings {
  configId: string;
  /** URL of the QR image (scene 2). Only `get_join_way` returns it. */
  qrCode: string;
}

export interface GroupMember {
  userId: string;
  /** 1: staff, 2: external contact (a customer). */
  type: number;
  unionId?: string;
  /** The join way's `state` this member came in by. */
  state?: string;
  joinTime: number;
}

export interface GroupChat {
  chatId: string;
  name: string;
  owner: string;
  /** WeCom has no count field: the count is the list's length. */
  members: GroupMember[];
}

/** A corp tag group (客户标签组) and its tags, as `get_corp_tag_list` and `add_corp_tag` answer. */
export interface CorpTagGroup {
  groupId: string;
  groupName: string;
  tags: Array<{ id: string; name: string }>;
}

/** A customer (外部联系人) as `externalcontact/get` answers: who they are and which staff members they added. */
export interface ExternalContact {
  externalUserId: string;
  /** Only when the corp is bound to the brand's WeChat Open Platform account. */
  unionId?: string;
  /** The staff members (userids) whose customer they are: a tag hangs on one of these pairs. */
  followUsers: string[];
}

/** A mini-program card (小程序消息), as welcome templates and mass-sends carry it. */
export interface MiniProgramCard {
  /** At most 64 bytes. */
  title: string;
  /** A `media/upload` image id: it lapses after 3 days. */
  picMediaId: string;
  /** A mini-program associated with the corp. */
  appId: string;
  page: string;
}

/** A group welcome template (入群欢迎语素材): `%NICKNAME%` in the text greets the joiner. */
export interface WelcomeTemplate {
  text?: string;
  miniprogram?: MiniProgramCard;
}

/** A mass-send's progress: per owner sent (2) or not (0); per group sent (1), not (0), or skipped (3: the group's quota). */
export interface GroupMsgTask {
  userId: string;
  status: number;
}

export interface GroupMsgResult {
  chatId: string;
  status: number;
}

export interface WeComClient {
  addJoinWay(settings: JoinWaySettings): Promise<string>;
  getJoinWay(configId: string): Promise<JoinWay>;
  updateJoinWay(configId: string, settings: JoinWaySettings): Promise<void>;
  delJoinWay(configId: string): Promise<void>;
  /** One page of the corp's customer groups; `limit` at most 1000. */
  listGroupChats(page: { cursor?: string; limit?: number }): Promise<{ chats: Array<{ chatId: string; status: number }>; nextCursor?: string }>;
  getGroupChat(chatId: string): Promise<GroupChat>;
  addWelcomeTemplate(template: WelcomeTemplate): Promise<string>;
  editWelcomeTemplate(templateId: string, template: WelcomeTemplate): Promise<void>;
  /** An image uploaded (`media/upload?type=image`, JPG or PNG up to 10 MB): its media id lasts 3 days. */
  uploadImage(image: Uint8Array, filename: string): Promise<{ mediaId: string; createdAt: number }>;
  /**
   * A group mass-send task for one owner's groups (`add_msg_template`, chat type group): WeCom sends
   * nothing until the owner confirms it in the client.
   */
  addGroupMsg(message: { sender: string; chatIds: string[]; text: string; miniprogram?: MiniProgramCard }): Promise<{ msgId: string; failList: string[] }>;
  getGroupMsgTask(msgId: string): Promise<GroupMsgTask[]>;
  getGroupMsgSendResult(msgId: string, userId: string): Promise<GroupMsgResult[]>;
  /** Every corp tag group with its tags (deleted ones left out). */
  getCorpTags(): Promise<CorpTagGroup[]>;
  /** Tags added to the group named so (made when there is none); answers the group with the new tags' ids. */
  addCorpTags(groupName: string, names: string[]): Promise<CorpTagGroup>;
  /** Tags put on the (staff member, customer) pair: 84061 when the customer is not that member's. */
  markTag(userId: string, externalUserId: string, add: string[]): Promise<void>;
  getExternalContact(externalUserId: string): Promise<ExternalContact>;
}

/** WeCom answered with a non-zero errcode (after the retries that errcode allows). */
export class WeComApiError extends Error {
  override name = 'WeComApiError';
  constructor(readonly api: string, readonly errcode: number, readonly errmsg: string) {
    super(`WeCom ${api}: errcode ${errcode} (${errmsg})`);
  }

  /** A token WeCom no longer accepts: refresh once and retry. */
  get staleToken(): boolean {
    return this.errcode === 40014 || this.errcode === 42001;
  }

  /**
   * The app may not make this call: not listed under 客户联系 «可调用接口的应用» or lacking the scope
   * (48002, 48001), or calling from an IP not trusted (60020). Only an administrator can fix it.
   */
  get missingPermission(): boolean {
    return this.errcode === 48002 || this.errcode === 48001 || this.errcode === 60020;
  }

  /** WeCom's frequency (45009) or concurrency (45033) limit: back off and retry. */
  get rateLimited(): boolean {
    return this.errcode === 45009 || this.errcode === 45033;
  }
}

/** WeCom could not be reached, or answered with something other than its JSON. */
export class WeComUnavailable extends Error {
  override name = 'WeComUnavailable';
}
