/** The console's words, Chinese first; `?lang=en` switches. Every key in both, or it does not compile. */
const zh = {
  title: '直播中控台', signIn: '登录', tokenHint: '粘贴品牌后台签发的主播令牌（host token）或群管理员令牌（manager token）', token: '令牌', room: '直播间', signOut: '退出',
  badToken: '令牌无效或已过期', noRooms: '这个令牌没有可管理的直播间', connecting: '连接中…', reconnecting: '重新连接中…', offline: '网络已断开',
  created: '未开播', live: '直播中', ended: '已结束', start: '开播', end: '下播', confirmEnd: '确定下播？秒杀和弹券会随之结束。',
  figures: '实时数据', online: '在线', peak: '峰值', unique: '累计观看', likes: '点赞', comments: '评论', hidden: '已屏蔽',
  orders: '订单', reserved: '已下单', paid: '已支付', gmvReserved: '下单金额', gmvPaid: '成交金额', funnel: '转化漏斗',
  joined: '进入', tapped: '点击购买', viewersTrend: '在线趋势', gmvTrend: '成交趋势',
  products: '商品与秒杀', listUp: '上链接', listDown: '下链接', pin: '讲解', stock: '库存', sold: '已售', scheduled: '待上架', soldOut: '已售罄',
  coupons: '优惠券', pop: '弹券', issued: '已领', used: '已用', left: '剩余', popped: '已弹出',
  groupBuys: '拼团', assists: '助力', opened: '开团', formed: '成团', failed: '失败', open: '进行中', started: '发起', completed: '完成',
  commentStream: '评论区', mute: '禁言10分钟', ban: '拉黑', remove: '删除', removed: '已删除', muted: '已禁言', banned: '已拉黑',
  restrictions: '禁言与拉黑', unmute: '解除禁言', unban: '解除拉黑',
  keywords: '屏蔽词', keywordsHint: '逗号分隔，如：加微信, vx', save: '保存', saved: '已保存',
  audit: '操作记录', none: '暂无', actionFailed: '操作失败', personGroup: '人团',
  group: '群', noGroups: '这个令牌没有可管理的群', games: '群活动', kindCheckin: '签到', kindDraw: '抽奖', kindPacket: '红包',
  drawing: '开奖中', drawn: '已开奖', drawNow: '立即开奖', endGame: '结束', checkedInToday: '今日签到', entries: '参与', drawAt: '开奖时间', grabbed: '已抢',
  member: '成员', prize: '奖品', fulfilment: '发放', pending: '待发放', fulfilled: '已发放', fulfilFailed: '发放失败', refund: '未领取退回',
  openGame: '开活动', gameTitle: '标题', openCheckin: '开启签到', openDraw: '开启抽奖', openPacket: '发红包', prizesHint: '每行一个：奖品*数量',
  entry: '参与方式', entryJoin: '点击参与', entryComment: '评论口令', entryCheckin: '今日已签到', keyword: '口令', drawInMinutes: '几分钟后开奖',
  totalYuan: '总金额（元）', shares: '个数', expiresMinutes: '有效期（分钟）',
} as const;

/** The audit trail's actions as a host reads them (others show as they are named). */
const actionsZh: Record<string, string> = {
  'room.create': '创建直播间', 'room.start': '开播', 'room.end': '下播', pin: '讲解商品', 'flash.create': '创建秒杀', 'flash.start': '上链接', 'flash.stop': '下链接',
  'coupon.create': '创建优惠券', 'coupon.pop': '弹券', 'group-buy.create': '创建拼团', 'assist.create': '创建助力', 'keywords.set': '设置屏蔽词',
  mute: '禁言', unmute: '解除禁言', ban: '拉黑', unban: '解除拉黑', 'comment.remove': '删除评论', 'game.open': '开启群活动', 'game.draw': '开奖', 'game.end': '结束群活动',
};

export type Label = keyof typeof zh;

const en: Record<Label, string> = {
  title: 'Live console', signIn: 'Sign in', tokenHint: "Paste the host token or group manager token from the brand's backend", token: 'Token', room: 'Room', signOut: 'Sign out',
  badToken: 'The token is invalid or has expired', noRooms: 'This token runs no room', connecting: 'Connecting…', reconnecting: 'Reconnecting…', offline: 'Offline',
  created: 'Not live', live: 'Live', ended: 'Ended', start: 'Go live', end: 'End live', confirmEnd: 'End the live? Flash sales and coupon pop-ups end with it.',
  figures: 'Live figures', online: 'Online', peak: 'Peak', unique: 'Viewers', likes: 'Likes', comments: 'Comments', hidden: 'Hidden',
  orders: 'Orders', reserved: 'Reserved', paid: 'Paid', gmvReserved: 'Ordered', gmvPaid: 'GMV paid', funnel: 'Funnel',
  joined: 'Joined', tapped: 'Tapped buy', viewersTrend: 'Viewers', gmvTrend: 'GMV',
  products: 'Products & flash sales', listUp: 'List', listDown: 'Delist', pin: 'Pin', stock: 'Stock', sold: 'Sold', scheduled: 'Scheduled', soldOut: 'Sold out',
  coupons: 'Coupons', pop: 'Pop', issued: 'Claimed', used: 'Used', left: 'Left', popped: 'Popped',
  groupBuys: 'Group-buys', assists: 'Assists', opened: 'Opened', formed: 'Formed', failed: 'Failed', open: 'Open', started: 'Started', completed: 'Completed',
  commentStream: 'Comments', mute: 'Mute 10 min', ban: 'Ban', remove: 'Remove', removed: 'Removed', muted: 'Muted', banned: 'Banned',
  restrictions: 'Muted and banned', unmute: 'Unmute', unban: 'Unban',
  keywords: 'Blocked words', keywordsHint: 'Comma-separated, e.g. wechat me, vx', save: 'Save', saved: 'Saved',
  audit: 'Audit trail', none: 'Nothing yet', actionFailed: 'Failed', personGroup: '-person group',
  group: 'Group', noGroups: 'This token runs no group', games: 'Group games', kindCheckin: 'Check-in', kindDraw: 'Lucky draw', kindPacket: 'Red packet',
  drawing: 'Drawing', drawn: 'Drawn', drawNow: 'Draw now', endGame: 'End', checkedInToday: 'Checked in today', entries: 'Entries', drawAt: 'Draws at', grabbed: 'Grabbed',
  member: 'Member', prize: 'Prize', fulfilment: 'Handed out', pending: 'Pending', fulfilled: 'Fulfilled', fulfilFailed: 'Failed', refund: 'Unclaimed, to refund',
  openGame: 'Open a game', gameTitle: 'Title', openCheckin: 'Open check-in', openDraw: 'Open lucky draw', openPacket: 'Send red packet', prizesHint: 'One a line: prize*count',
  entry: 'Entry', entryJoin: 'Tap to join', entryComment: 'Comment keyword', entryCheckin: 'Checked in today', keyword: 'Keyword', drawInMinutes: 'Draw in (minutes)',
  totalYuan: 'Total (yuan)', shares: 'Shares', expiresMinutes: 'Expires in (minutes)',
};

export const lang: 'zh-CN' | 'en' = new URLSearchParams(location.search).get('lang') === 'en' ? 'en' : 'zh-CN';

export function t(key: Label): string {
  return (lang === 'en' ? en : zh)[key];
}

export function actionName(action: string): string {
  return lang === 'en' ? action : (actionsZh[action] ?? action);
}

/** Fen as yuan, with thousands separators. */
export function money(fen: number): string {
  return `¥${(fen / 100).toLocaleString(lang, { minimumFractionDigits: fen % 100 ? 2 : 0, maximumFractionDigits: 2 })}`;
}

export function count(n: number): string {
  return n.toLocaleString(lang);
}

export function time(ms: number): string {
  return new Date(ms).toLocaleTimeString(lang, { hour12: false });
}

export function escapeHtml(text: unknown): string {
  return String(text ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
