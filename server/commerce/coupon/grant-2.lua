--[[
  Issues one coupon of a campaign as a reward (an assist completed), outside the pop-up window but
  within the campaign's quantity. Granting the same coupon id again answers it unchanged.
  KEYS[1] campaign (hash)   KEYS[2] the issued coupon (hash)
  ARGV[1] user   ARGV[2] now   ARGV[3] coupon id
  Output: { 1, coupon field, value, ... }, or { -1 } unknown campaign, { -4 } none left
]]
--- @include "platform/records/requests"
if redis.call('EXISTS', KEYS[2]) == 1 then return withHash({ 1 }, KEYS[2]) end
local c = redis.call('HMGET', KEYS[1], 'left', 'value', 'minSpend', 'validDays', 'id')
if not c[1] then return { -1 } end
if tonumber(c[1]) <= 0 then return { -4 } end
redis.call('HINCRBY', KEYS[1], 'left', -1)
redis.call('HINCRBY', KEYS[1], 'issued', 1)
redis.call('HSET', KEYS[2], 'id', ARGV[3], 'campaign', c[5], 'user', ARGV[1], 'value', c[2], 'minSpend', c[3],
  'validUntil', tonumber(ARGV[2]) + tonumber(c[4]) * 86400000)
return withHash({ 1 }, KEYS[2])
