--[[
  An open assist whose time ran out expires, exactly once.
  KEYS[1] the assist (hash)   KEYS[2] campaign open owners (hash)
  ARGV[1] now
  Output: 1 when it expired now; 0 when it was not open or not yet due
]]
local a = redis.call('HMGET', KEYS[1], 'status', 'expiresAt', 'owner', 'id')
if a[1] ~= 'open' or tonumber(ARGV[1]) < tonumber(a[2]) then return 0 end
redis.call('HSET', KEYS[1], 'status', 'expired')
if redis.call('HGET', KEYS[2], a[3]) == a[4] then redis.call('HDEL', KEYS[2], a[3]) end
return 1
