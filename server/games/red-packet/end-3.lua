--[[
  Ends an open red packet once and answers what nobody grabbed; money left is reported for refund
  (`packet.unclaimed`, to prize fulfilment) in the same step, so it is reported once.
  KEYS[1] the red packet (hash)  KEYS[2] shares left (list)
  KEYS[3] the participation outbox of the room's slot (list): `packet.unclaimed`
  ARGV[1] now   ARGV[2] room   ARGV[3] game
  Output: { 1, unclaimed, shares left } or { 0 } when it was not open
]]
--- @include "participation/emit"
if redis.call('HGET', KEYS[1], 'status') ~= 'open' then return { 0 } end
local unclaimed = 0
local shares = redis.call('LRANGE', KEYS[2], 0, -1)
for _, share in ipairs(shares) do unclaimed = unclaimed + tonumber(share) end
redis.call('HSET', KEYS[1], 'status', 'ended', 'unclaimed', unclaimed, 'endedAt', ARGV[1])
redis.call('DEL', KEYS[2])
if unclaimed > 0 then
  participated(KEYS[3], 'packet.unclaimed:' .. ARGV[3], 'packet.unclaimed', tonumber(ARGV[1]), ARGV[2], '',
    '{"game":' .. cjson.encode(ARGV[3]) .. ',"amount":' .. string.format('%.0f', unclaimed) .. ',"shares":' .. #shares .. '}')
end
return { 1, unclaimed, #shares }
