--[[
  A viewer takes a seat in an open group, atomically at join time (never "full" checked only after
  payment, which lets two payers over-fill the last seat), with a reservation. The seat that fills
  the group forms it, once.
  Keys (k): campaign (hash), openMembers (hash: the campaign's members of an open group), counts
    (hash: memberships per user), group (hash), order (the joiner's order, a hash; its existence
    marks a repeat), request (the refusal marker, a string), openGroups (zset), orderRooms (hash),
    unsettled (zset), figures and reach (the room's: live-ops/figures/count.lua), outbox (the
    `group.joined` and `order.reserved` participation events)
  Arguments (a): user, now (ms), orderId, room, requestTtl (ms)
  Output: { 1, replayed, formedNow, group field, value, ... } or { code }: -1 not_found  -3 ended
    -5 limit_reached  -7 already_done  -8 expired  -10 group_full
]]
--- @include "platform/records/requests"
--- @include "orders/index-order"
--- @include "live-ops/figures/count"
--- @include "participation/emit"
local function join(k, a)
  local campaignKey, openKey, countsKey, groupKey, orderKey, requestKey, openGroupsKey = k.campaign, k.openMembers, k.counts, k.group, k.order, k.request, k.openGroups
  local user, now = a.user, tonumber(a.now)
  local function answer(replayed, formedNow) return withHash({ 1, replayed, formedNow }, groupKey) end
  local function refuse(code) return refuseRequest(requestKey, a.requestTtl, code) end

  if redis.call('EXISTS', orderKey) == 1 then return answer(1, 0) end
  local refused = refusedBefore(requestKey)
  if refused then return { refused } end
  reach(k.reach, k.figures, now, user, 'tapped')

  local g = redis.call('HMGET', groupKey, 'status', 'expiresAt', 'size', 'members', 'orders', 'campaign', 'id')
  if not g[1] then return refuse(-1) end
  if g[1] == 'formed' then return refuse(-10) end
  if g[1] == 'failed' or now >= tonumber(g[2]) then return refuse(-8) end
  local members, orders = cjson.decode(g[4]), cjson.decode(g[5])
  if #members >= tonumber(g[3]) then return refuse(-10) end
  if redis.call('HEXISTS', openKey, user) == 1 then return refuse(-7) end
  local c = redis.call('HMGET', campaignKey, 'status', 'perUserLimit', 'price', 'product')
  if c[1] ~= 'live' then return refuse(-3) end
  if tonumber(redis.call('HGET', countsKey, user) or '0') >= tonumber(c[2]) then return refuse(-5) end

  members[#members + 1] = user
  orders[#orders + 1] = a.orderId
  redis.call('HSET', groupKey, 'members', cjson.encode(members), 'orders', cjson.encode(orders))
  redis.call('HSET', orderKey, 'id', a.orderId, 'room', a.room, 'user', user, 'source', 'group', 'campaign', g[6],
    'group', g[7], 'product', cjson.decode(c[4]).id, 'qty', 1, 'price', c[3], 'amount', c[3], 'state', 'reserved',
    'createdAt', now, 'payDeadline', g[2])
  indexOrder(k.orderRooms, k.unsettled, a.orderId, a.room, now)
  countOrder(k.figures, k.reach, now, user, 'reserved', c[3])
  participated(k.outbox, 'group.joined:' .. a.orderId, 'group.joined', now, a.room, user,
    '{"group":' .. cjson.encode(g[7]) .. ',"campaign":' .. cjson.encode(g[6]) .. ',"leader":false}')
  participated(k.outbox, 'order.reserved:' .. a.orderId, 'order.reserved', now, a.room, user,
    '{"order":' .. cjson.encode(a.orderId) .. ',"source":"group","campaign":' .. cjson.encode(g[6]) .. ',"qty":1,"amount":' .. string.format('%.0f', tonumber(c[3])) .. '}')
  redis.call('HINCRBY', countsKey, user, 1)
  if #members == tonumber(g[3]) then
    redis.call('HSET', groupKey, 'status', 'formed', 'formedAt', now)
    for _, m in ipairs(members) do redis.call('HDEL', openKey, m) end
    redis.call('ZREM', openGroupsKey, g[7])
    redis.call('HINCRBY', campaignKey, 'formed', 1)
    return answer(0, 1)
  end
  redis.call('HSET', openKey, user, g[7])
  redis.call('ZADD', openGroupsKey, #members, g[7])
  return answer(0, 0)
end
