--[[
  One flash-sale buy, decided atomically: the sale window, the per-buy and per-user limits (units
  held by reservations count), stock, an optional coupon, then stock taken and a reservation made.
  A repeat of the same request answers the first answer: the order id is derived from the request,
  so an existing order key is a repeat; a refusal is remembered under the request key.
  KEYS[1] sale (hash)
  KEYS[2] sale buyers (hash: user -> units held)
  KEYS[3] the order (hash)
  KEYS[4] the request's refusal marker (string "!<code>", kept ARGV[7] ms)
  KEYS[5] schedule (zset: due time -> member)
  KEYS[6] the coupon applied (hash), or any absent key when none
  KEYS[7] order rooms (hash: order id -> room)   KEYS[8] unsettled orders (zset)
  ARGV[1] user       ARGV[2] qty       ARGV[3] now (ms)     ARGV[4] order id
  ARGV[5] room       ARGV[6] coupon id, or ""               ARGV[7] request ttl (ms)
  ARGV[8] schedule member for the order's pay deadline
  Output: { 1, left, soldOut, replayed, order field, value, ... } or { code } with code < 0:
    -1 not_found  -2 not_started  -3 ended  -4 sold_out  -5 limit_reached  -6 forbidden
    -7 already_done  -8 expired  -9 not_eligible
]]
--- @include "platform/records/requests"
--- @include "orders/index-order"
local saleKey, buyersKey, orderKey, requestKey, scheduleKey, couponKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local user, qty, now = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local function answer(left, replayed) return withHash({ 1, left, left == 0 and 1 or 0, replayed }, orderKey) end
local function refuse(code) return refuseRequest(requestKey, ARGV[7], code) end

if redis.call('EXISTS', orderKey) == 1 then return answer(tonumber(redis.call('HGET', saleKey, 'left')), 1) end
local refused = refusedBefore(requestKey)
if refused then return { refused } end

local sale = redis.call('HMGET', saleKey, 'status', 'startsAt', 'endsAt', 'left', 'perUserLimit', 'singleOrderLimit', 'price', 'payWindowSec', 'product')
local status, startsAt, endsAt, left = sale[1], tonumber(sale[2]), tonumber(sale[3]), tonumber(sale[4])
if not status then return refuse(-1) end
if status == 'ended' or (endsAt and now >= endsAt) then return refuse(left == 0 and -4 or -3) end
if status ~= 'live' and not (status == 'scheduled' and startsAt and now >= startsAt) then return refuse(-2) end
local perUser = tonumber(sale[5])
if qty > (tonumber(sale[6]) or perUser) then return refuse(-5) end
local held = tonumber(redis.call('HGET', buyersKey, user) or '0')
if held + qty > perUser then return refuse(-5) end
if left < qty then return refuse(-4) end

local price = tonumber(sale[7])
local amount = price * qty
local couponId = ARGV[6]
if couponId ~= '' then
  local coupon = redis.call('HMGET', couponKey, 'user', 'usedBy', 'validUntil', 'minSpend', 'value')
  if not coupon[1] then return refuse(-1) end
  if coupon[1] ~= user then return refuse(-6) end
  if coupon[2] then return refuse(-7) end
  if now >= tonumber(coupon[3]) then return refuse(-8) end
  if amount < tonumber(coupon[4]) then return refuse(-9) end
  amount = math.max(0, amount - tonumber(coupon[5]))
  redis.call('HSET', couponKey, 'usedBy', ARGV[4])
end

left = redis.call('HINCRBY', saleKey, 'left', -qty)
redis.call('HINCRBY', saleKey, 'sold', qty)
redis.call('HINCRBY', buyersKey, user, qty)
local product = cjson.decode(sale[9])
local deadline = now + tonumber(sale[8]) * 1000
redis.call('HSET', orderKey, 'id', ARGV[4], 'room', ARGV[5], 'user', user, 'source', 'flash',
  'campaign', redis.call('HGET', saleKey, 'id'), 'product', product.id, 'qty', qty, 'price', price,
  'amount', amount, 'state', 'reserved', 'createdAt', now, 'payDeadline', deadline)
if couponId ~= '' then redis.call('HSET', orderKey, 'coupon', couponId) end
redis.call('ZADD', scheduleKey, deadline, ARGV[8])
indexOrder(KEYS[7], KEYS[8], ARGV[4], ARGV[5], now)
if left == 0 then
  redis.call('HSET', saleKey, 'status', 'ended', 'endedAt', now, 'endReason', 'sold_out')
end
return answer(left, 0)
