--[[
  One flash-sale buy, decided atomically: the sale window, the per-buy and per-user limits (units
  held by reservations count), stock, an optional coupon, then stock taken and a reservation made.
  A repeat of the same request answers the first answer: the order id is derived from the request,
  so an existing order key is a repeat; a refusal is remembered under the request key.
  Keys (k): sale (hash), buyers (hash: user -> units held), order (hash), request (the refusal
    marker, a string "!<code>" kept requestTtl ms), schedule (zset), coupon (the coupon applied, a
    hash, or any absent key when none), orderRooms (hash: order id -> room), unsettled (zset),
    room (the room's hash: an ended room ends its sales with it), figures and reach (the room's
    business figures: live-ops/figures/count.lua; every fresh tap counts as tapped), outbox (the
    `order.reserved` participation event: participation/emit.lua)
  Arguments (a): user, qty, now (ms), orderId, room, coupon (id, or ""), requestTtl (ms),
    deadlineMember (the schedule member of the order's pay deadline)
  Output: { 1, left, soldOut, replayed, order field, value, ... } or { code } with code < 0:
    -1 not_found  -2 not_started  -3 ended  -4 sold_out  -5 limit_reached  -6 forbidden
    -7 already_done  -8 expired  -9 not_eligible
]]
--- @include "platform/records/requests"
--- @include "orders/index-order"
--- @include "live-ops/figures/count"
--- @include "participation/emit"
local function buy(k, a)
  local qty, now = tonumber(a.qty), tonumber(a.now)
  local function answer(left, replayed) return withHash({ 1, left, left == 0 and 1 or 0, replayed }, k.order) end
  local function refuse(code) return refuseRequest(k.request, a.requestTtl, code) end

  if redis.call('EXISTS', k.order) == 1 then return answer(tonumber(redis.call('HGET', k.sale, 'left')), 1) end
  local refused = refusedBefore(k.request)
  if refused then return { refused } end
  reach(k.reach, k.figures, now, a.user, 'tapped')

  if redis.call('HGET', k.room, 'status') == '"ended"' then return refuse(-3) end
  local sale = redis.call('HMGET', k.sale, 'status', 'startsAt', 'endsAt', 'left', 'perUserLimit', 'singleOrderLimit', 'price', 'payWindowSec', 'product', 'id')
  local status, startsAt, endsAt, left = sale[1], tonumber(sale[2]), tonumber(sale[3]), tonumber(sale[4])
  if not status then return refuse(-1) end
  if status == 'ended' or (endsAt and now >= endsAt) then return refuse(left == 0 and -4 or -3) end
  if status ~= 'live' and not (status == 'scheduled' and startsAt and now >= startsAt) then return refuse(-2) end
  local perUser = tonumber(sale[5])
  if qty > (tonumber(sale[6]) or perUser) then return refuse(-5) end
  local held = tonumber(redis.call('HGET', k.buyers, a.user) or '0')
  if held + qty > perUser then return refuse(-5) end
  if left < qty then return refuse(-4) end

  local price = tonumber(sale[7])
  local amount = price * qty
  if a.coupon ~= '' then
    local coupon = redis.call('HMGET', k.coupon, 'user', 'usedBy', 'validUntil', 'minSpend', 'value', 'campaign')
    if not coupon[1] then return refuse(-1) end
    if coupon[1] ~= a.user then return refuse(-6) end
    if coupon[2] then return refuse(-7) end
    if now >= tonumber(coupon[3]) then return refuse(-8) end
    if amount < tonumber(coupon[4]) then return refuse(-9) end
    amount = math.max(0, amount - tonumber(coupon[5]))
    redis.call('HSET', k.coupon, 'usedBy', a.orderId)
    count(k.figures, now, 'coupon:' .. coupon[6] .. ':used', 1)
  end

  left = redis.call('HINCRBY', k.sale, 'left', -qty)
  redis.call('HINCRBY', k.sale, 'sold', qty)
  redis.call('HINCRBY', k.buyers, a.user, qty)
  local product = cjson.decode(sale[9])
  local deadline = now + tonumber(sale[8]) * 1000
  redis.call('HSET', k.order, 'id', a.orderId, 'room', a.room, 'user', a.user, 'source', 'flash',
    'campaign', sale[10], 'product', product.id, 'qty', qty, 'price', price,
    'amount', amount, 'state', 'reserved', 'createdAt', now, 'payDeadline', deadline)
  if a.coupon ~= '' then redis.call('HSET', k.order, 'coupon', a.coupon) end
  redis.call('ZADD', k.schedule, deadline, a.deadlineMember)
  indexOrder(k.orderRooms, k.unsettled, a.orderId, a.room, now)
  countOrder(k.figures, k.reach, now, a.user, 'reserved', amount)
  participated(k.outbox, 'order.reserved:' .. a.orderId, 'order.reserved', now, a.room, a.user,
    '{"order":' .. cjson.encode(a.orderId) .. ',"source":"flash","campaign":' .. cjson.encode(sale[10])
    .. ',"qty":' .. string.format('%.0f', qty) .. ',"amount":' .. string.format('%.0f', amount) .. '}')
  if left == 0 then
    redis.call('HSET', k.sale, 'status', 'ended', 'endedAt', now, 'endReason', 'sold_out')
  end
  return answer(left, 0)
end
