--[[
  One coupon claim, decided atomically: the pop-up window, the per-user limit and the quantity,
  then one coupon issued. A repeat of the same request answers the first answer (the coupon id is
  derived from the request: an existing coupon key is a repeat).
  Keys (k): campaign (hash), claimers (hash: user -> coupons claimed), coupon (the issued coupon,
    a hash), request (the refusal marker, a string "!<code>"), room (the room's hash: an ended
    room closes its pop-ups with it), outbox (the `coupon.claimed` participation event)
  Arguments (a): user, now (ms), couponId, requestTtl (ms), room
  Output: { 1, left, replayed, coupon field, value, ... } or { code }:
    -1 not_found  -2 not_started  -3 ended  -4 sold_out  -5 limit_reached
]]
--- @include "platform/records/requests"
--- @include "participation/emit"
local function claim(k, a)
  local now = tonumber(a.now)
  local function answer(replayed) return withHash({ 1, tonumber(redis.call('HGET', k.campaign, 'left')), replayed }, k.coupon) end
  local function refuse(code) return refuseRequest(k.request, a.requestTtl, code) end

  if redis.call('EXISTS', k.coupon) == 1 then return answer(1) end
  local refused = refusedBefore(k.request)
  if refused then return { refused } end

  if redis.call('HGET', k.room, 'status') == '"ended"' then return refuse(-3) end
  local c = redis.call('HMGET', k.campaign, 'status', 'closesAt', 'left', 'perUserLimit', 'value', 'minSpend', 'validDays', 'id')
  if not c[1] then return refuse(-1) end
  if c[1] ~= 'popped' then return refuse(-2) end
  if now >= tonumber(c[2]) then return refuse(-3) end
  if tonumber(redis.call('HGET', k.claimers, a.user) or '0') >= tonumber(c[4]) then return refuse(-5) end
  if tonumber(c[3]) <= 0 then return refuse(-4) end

  redis.call('HINCRBY', k.campaign, 'left', -1)
  redis.call('HINCRBY', k.campaign, 'issued', 1)
  redis.call('HINCRBY', k.claimers, a.user, 1)
  redis.call('HSET', k.coupon, 'id', a.couponId, 'campaign', c[8], 'user', a.user, 'value', c[5], 'minSpend', c[6],
    'validUntil', now + tonumber(c[7]) * 86400000)
  participated(k.outbox, 'coupon.claimed:' .. a.couponId, 'coupon.claimed', now, a.room, a.user,
    '{"coupon":' .. cjson.encode(a.couponId) .. ',"campaign":' .. cjson.encode(c[8]) .. ',"value":' .. string.format('%.0f', tonumber(c[5])) .. '}')
  return answer(0)
end
