--[[
  An open group whose time ran out fails, exactly once: its members leave it (they may open or join
  another), unpaid reservations (reserved, submitted) expire, and paid ones move to `refunding`.
  KEYS[1] the group (hash)   KEYS[2] campaign open members (hash)   KEYS[3] membership counts (hash)
  KEYS[4] campaign open groups (zset)   KEYS[5] campaign (hash)
  KEYS[6] the room's figures (hash)   KEYS[7] the room's funnel reach (hash) (live-ops/figures/count.lua)
  ARGV[1] now   ARGV[2] order key prefix (the room's order keys, same hash slot)
  Output: { 1, member, order id, order state before, ... } when it failed now; { 0 } when it was not
          open, or not yet expired
]]
--- @include "live-ops/figures/count"
local g = redis.call('HMGET', KEYS[1], 'status', 'expiresAt', 'members', 'orders', 'id')
local now = tonumber(ARGV[1])
if g[1] ~= 'open' or now < tonumber(g[2]) then return { 0 } end
redis.call('HSET', KEYS[1], 'status', 'failed', 'failedAt', now)
redis.call('ZREM', KEYS[4], g[5])
redis.call('HINCRBY', KEYS[5], 'failed', 1)
local members, orders = cjson.decode(g[3]), cjson.decode(g[4])
local out = { 1 }
for i, m in ipairs(members) do
  redis.call('HDEL', KEYS[2], m)
  if redis.call('HINCRBY', KEYS[3], m, -1) <= 0 then redis.call('HDEL', KEYS[3], m) end
  local orderKey = ARGV[2] .. orders[i]
  local o = redis.call('HMGET', orderKey, 'state', 'amount')
  local state, amount = o[1], o[2]
  if state == 'reserved' or state == 'submitted' then
    redis.call('HSET', orderKey, 'state', 'expired', 'expiredAt', now)
    countOrder(KEYS[6], KEYS[7], now, m, 'expired', amount)
  elseif state == 'paid' then
    redis.call('HSET', orderKey, 'state', 'refunding', 'refundingAt', now)
    countOrder(KEYS[6], KEYS[7], now, m, 'refunding', amount)
  end
  out[#out + 1] = m
  out[#out + 1] = orders[i]
  out[#out + 1] = state or ''
end
return out
