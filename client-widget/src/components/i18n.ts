/** Labels in zh-CN (the default) and English; `<rc-room lang="en">` switches. */
const zh = {
  soon: '即将开始', buy: '立即抢购', buying: '抢购中…', bought: '已抢到', soldOut: '已售罄', limit: '已达限购', ended: '已结束',
  left: '剩余', startsIn: '距开抢', claim: '领取', claimed: '已领取', gone: '已抢光', coupon: '优惠券', off: '减',
  openGroup: '发起拼团', joinGroup: '参与拼团', seats: '人团', share: '分享', startAssist: '发起助力', helpFriend: '帮好友助力', helpers: '助力',
  online: '人在看', like: '点赞', justBought: '刚刚抢到', retry: '重试', reconnecting: '重新连接中…', offline: '网络已断开',
  order: '订单', reserved: '已锁定', toPay: '去支付', paid: '已支付',
  forbidden: '仅限本群成员参与', cannotJoin: '无法进入',
  checkIn: '签到', checkedIn: '已签到', alreadyCheckedIn: '今天已签过', checkedInToday: '人今日已签到',
  streak: '连续签到天数', points: '积分', balance: '积分余额',
  enterDraw: '参与抽奖', entered: '已参与', entries: '人参与', drawIn: '距开奖', drawing: '开奖中…', closed: '已截止',
  commentToEnter: '发送评论参与：', checkInFirst: '签到后可参与', winners: '中奖名单', noWinners: '无人中奖', youWon: '恭喜你抽中',
  verify: '验证开奖', verifying: '验证中…', verified: '已验证 ✓', verifyFailed: '验证失败',
  grab: '抢红包', grabbed: '已抢到', alreadyGrabbed: '已抢过', shares: '个红包',
} as const;

/** Every label in English too: one missing does not compile. */
const en: Record<keyof typeof zh, string> = {
  soon: 'Starting soon', buy: 'Buy now', buying: 'Buying…', bought: 'Bought', soldOut: 'Sold out', limit: 'Limit reached', ended: 'Ended',
  left: 'left', startsIn: 'Starts in', claim: 'Claim', claimed: 'Claimed', gone: 'All gone', coupon: 'Coupon', off: 'off',
  openGroup: 'Start a group', joinGroup: 'Join the group', seats: 'people', share: 'Share', startAssist: 'Ask friends to help', helpFriend: 'Help your friend', helpers: 'helpers',
  online: 'watching', like: 'Like', justBought: 'just bought', retry: 'Retry', reconnecting: 'Reconnecting…', offline: 'Offline',
  order: 'Order', reserved: 'reserved', toPay: 'pay now', paid: 'paid',
  forbidden: 'For members of this group only', cannotJoin: 'Cannot join',
  checkIn: 'Check in', checkedIn: 'Checked in', alreadyCheckedIn: 'Already checked in today', checkedInToday: 'checked in today',
  streak: 'Streak', points: 'points', balance: 'Balance',
  enterDraw: 'Enter the draw', entered: 'Entered', entries: 'entered', drawIn: 'Draw in', drawing: 'Drawing…', closed: 'Closed',
  commentToEnter: 'Comment to enter:', checkInFirst: 'Check in first', winners: 'Winners', noWinners: 'No winners', youWon: 'You won',
  verify: 'Verify the draw', verifying: 'Verifying…', verified: 'Verified ✓', verifyFailed: 'Verification failed',
  grab: 'Grab', grabbed: 'Grabbed', alreadyGrabbed: 'Already grabbed', shares: 'shares',
};

const labels = { 'zh-CN': zh, en };

export type Lang = keyof typeof labels;
export type Label = keyof typeof zh;

export function label(lang: string | null | undefined, key: Label): string {
  return (labels[(lang ?? 'zh-CN') as Lang] ?? labels['zh-CN'])[key];
}

/** Fen to yuan, as shoppers read prices; `cents` keeps them (¥4.00), as red-packet amounts are shown. */
export function yuan(fen: number, cents = false): string {
  return `¥${(fen / 100).toFixed(cents || fen % 100 ? 2 : 0)}`;
}

/** Time left as m:ss, for countdowns. */
export function clock(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
