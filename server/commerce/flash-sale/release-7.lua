--[[
  Releases an unpaid flash-sale order (its pay deadline passed, or the mall cancelled it) exactly
  once: the order becomes ARGV[3] (`expired` / `cancelled`), its units go back to stock and off the
  buyer's count, its coupon becomes usable again, and a sale that had sold out goes back on sale
  while its window is open. Reserved and submitted (the mall has it, unpaid) orders qualify.
  KEYS[1] order (hash)
  KEYS[2] sale (hash)
  KEYS[3] sale buyers (hash)
  KEYS[4] the order's coupon (hash), or any absent key
  KEYS[5] schedule (zset)
  KEYS[6] the room's figures (hash)   KEYS[7] the room's funnel reach (hash)
  ARGV[1] now (ms)   ARGV[2] schedule member   ARGV[3] the order's new state   ARGV[4] its time field
  Output: { 1, left, relisted } when released; { 0 } when the order was not unpaid (paid,
          already released, unknown)
]]
--- @include "live-ops/figures/count"
redis.call('ZREM', KEYS[5], ARGV[2])
local order = redis.call('HMGET', KEYS[1], 'state', 'qty', 'user', 'id', 'amount')
if order[1] ~= 'reserved' and order[1] ~= 'submitted' then return { 0 } end
local now, qty = tonumber(ARGV[1]), tonumber(order[2])
redis.call('HSET', KEYS[1], 'state', ARGV[3], ARGV[4], now)
local left = redis.call('HINCRBY', KEYS[2], 'left', qty)
redis.call('HINCRBY', KEYS[2], 'sold', -qty)
if redis.call('HINCRBY', KEYS[3], order[3], -qty) <= 0 then redis.call('HDEL', KEYS[3], order[3]) end
countOrder(KEYS[6], KEYS[7], now, order[3], ARGV[3], order[5])
if redis.call('HGET', KEYS[4], 'usedBy') == order[4] then
  redis.call('HDEL', KEYS[4], 'usedBy')
  count(KEYS[6], now, 'coupon:' .. redis.call('HGET', KEYS[4], 'campaign') .. ':used', -1)
end
local relisted = 0
local sale = redis.call('HMGET', KEYS[2], 'status', 'endReason', 'endsAt')
if sale[1] == 'ended' and sale[2] == 'sold_out' and (not sale[3] or now < tonumber(sale[3])) then
  redis.call('HSET', KEYS[2], 'status', 'live')
  redis.call('HDEL', KEYS[2], 'endReason', 'endedAt')
  relisted = 1
end
return { 1, left, relisted }
