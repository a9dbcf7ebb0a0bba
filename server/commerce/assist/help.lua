--[[
  One help, decided atomically: one help per helper per assist, no self-help, the campaign's
  per-helper cap across its assists; the completing help completes the assist exactly once and,
  when the campaign has a price, reserves the owner's purchase at that price.
  Keys (k): assist (hash), campaign (hash), counts (hash: helps per helper), owners (hash: open
    owners), request (a string "ok" or "!<code>"; a help makes no record of its own, and a repeat
    after the marker expired is refused already_done by the helpers list, never counted twice),
    orderRooms (hash), unsettled (zset), figures and reach (the room's: live-ops/figures/count.lua),
    outbox (the `assist.helped` participation event, and the reward's `order.reserved`)
  Arguments (a): helper, now (ms), requestTtl (ms), rewardOrderId, orderPrefix (of order keys),
    rewardPayWindow (ms)
  Output: { 1, replayed, completedNow, assist field, value, ... } or { code }: -1 not_found
    -3 ended  -5 limit_reached  -7 already_done  -8 expired  -11 self_help
]]
--- @include "platform/records/requests"
--- @include "orders/index-order"
--- @include "live-ops/figures/count"
--- @include "participation/emit"
local function help(k, a)
  local helper, now = a.helper, tonumber(a.now)
  local function answer(replayed, completedNow) return withHash({ 1, replayed, completedNow }, k.assist) end
  local function refuse(code) return refuseRequest(k.request, a.requestTtl, code) end

  local first = redis.call('GET', k.request)
  if first == 'ok' then return answer(1, 0) end
  if first then return { tonumber(string.sub(first, 2)) } end

  local s = redis.call('HMGET', k.assist, 'status', 'expiresAt', 'owner', 'helpers', 'target', 'id', 'room')
  if not s[1] then return refuse(-1) end
  if s[3] == helper then return refuse(-11) end
  local helpers = cjson.decode(s[4])
  for _, h in ipairs(helpers) do if h == helper then return refuse(-7) end end
  if s[1] == 'completed' then return refuse(-3) end
  if s[1] == 'expired' or now >= tonumber(s[2]) then return refuse(-8) end
  local c = redis.call('HMGET', k.campaign, 'perHelperLimit', 'price', 'product')
  if tonumber(redis.call('HGET', k.counts, helper) or '0') >= tonumber(c[1]) then return refuse(-5) end

  helpers[#helpers + 1] = helper
  redis.call('HSET', k.assist, 'helpers', cjson.encode(helpers))
  redis.call('HINCRBY', k.counts, helper, 1)
  redis.call('SET', k.request, 'ok', 'PX', a.requestTtl)
  participated(k.outbox, 'assist.helped:' .. s[6] .. ':' .. helper, 'assist.helped', now, s[7], helper,
    '{"assist":' .. cjson.encode(s[6]) .. ',"owner":' .. cjson.encode(s[3]) .. ',"helpers":' .. #helpers .. '}')
  if #helpers < tonumber(s[5]) then return answer(0, 0) end

  redis.call('HSET', k.assist, 'status', 'completed', 'completedAt', now)
  redis.call('HDEL', k.owners, s[3])
  redis.call('HINCRBY', k.campaign, 'completed', 1)
  if c[2] then
    redis.call('HSET', a.orderPrefix .. a.rewardOrderId, 'id', a.rewardOrderId, 'room', s[7], 'user', s[3], 'source', 'assist',
      'campaign', redis.call('HGET', k.campaign, 'id'), 'product', cjson.decode(c[3]).id, 'qty', 1, 'price', c[2],
      'amount', c[2], 'state', 'reserved', 'createdAt', now, 'payDeadline', now + tonumber(a.rewardPayWindow))
    indexOrder(k.orderRooms, k.unsettled, a.rewardOrderId, s[7], now)
    countOrder(k.figures, k.reach, now, s[3], 'reserved', c[2])
    participated(k.outbox, 'order.reserved:' .. a.rewardOrderId, 'order.reserved', now, s[7], s[3],
      '{"order":' .. cjson.encode(a.rewardOrderId) .. ',"source":"assist","qty":1,"amount":' .. string.format('%.0f', tonumber(c[2])) .. '}')
    redis.call('HSET', k.assist, 'order', a.rewardOrderId)
  end
  return answer(0, 1)
end
