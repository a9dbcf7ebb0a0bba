--[[
  One coupon claim, decided atomically: the pop-up window, the per-user limit and the quantity,
  then one coupon issued. A repeat of the same request answers the first answer (the coupon id is
  derived from the request: an existing coupon key is a repeat).
  KEYS[1] campaign (hash)
  KEYS[2] campaign claimers (hash: user -> coupons claimed)
  KEYS[3] the issued coupon (hash)
  KEYS[4] the request's refusal marker (string "!<code>")
  ARGV[1] user   ARGV[2] now (ms)   ARGV[3] coupon id   ARGV[4] request ttl (ms)
  Output: { 1, left, replayed, coupon field, value, ... } or { code }:
    -1 not_found  -2 not_started  -3 ended  -4 sold_out  -5 limit_reached
]]
--- @include "platform/records/requests"
local campaignKey, claimersKey, couponKey, requestKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local user, now = ARGV[1], tonumber(ARGV[2])
local function answer(replayed) return withHash({ 1, tonumber(redis.call('HGET', campaignKey, 'left')), replayed }, couponKey) end
local function refuse(code) return refuseRequest(requestKey, ARGV[4], code) end

if redis.call('EXISTS', couponKey) == 1 then return answer(1) end
local refused = refusedBefore(requestKey)
if refused then return { refused } end

local c = redis.call('HMGET', campaignKey, 'status', 'closesAt', 'left', 'perUserLimit', 'value', 'minSpend', 'validDays', 'id')
if not c[1] then return refuse(-1) end
if c[1] ~= 'popped' then return refuse(-2) end
if now >= tonumber(c[2]) then return refuse(-3) end
if tonumber(redis.call('HGET', claimersKey, user) or '0') >= tonumber(c[4]) then return refuse(-5) end
if tonumber(c[3]) <= 0 then return refuse(-4) end

redis.call('HINCRBY', campaignKey, 'left', -1)
redis.call('HINCRBY', campaignKey, 'issued', 1)
redis.call('HINCRBY', claimersKey, user, 1)
redis.call('HSET', couponKey, 'id', ARGV[3], 'campaign', c[8], 'user', user, 'value', c[5], 'minSpend', c[6],
  'validUntil', now + tonumber(c[7]) * 86400000)
return answer(0)
