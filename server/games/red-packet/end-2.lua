--[[
  Ends an open red packet once and answers what nobody grabbed (to go back to the brand).
  KEYS[1] the red packet (hash)  KEYS[2] shares left (list)
  ARGV[1] now
  Output: { 1, unclaimed, shares left } or { 0 } when it was not open
]]
if redis.call('HGET', KEYS[1], 'status') ~= 'open' then return { 0 } end
local unclaimed = 0
local shares = redis.call('LRANGE', KEYS[2], 0, -1)
for _, share in ipairs(shares) do unclaimed = unclaimed + tonumber(share) end
redis.call('HSET', KEYS[1], 'status', 'ended', 'unclaimed', unclaimed, 'endedAt', ARGV[1])
redis.call('DEL', KEYS[2])
return { 1, unclaimed, #shares }
