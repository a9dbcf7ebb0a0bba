--[[
  Creates a hash only if the key is free.
  KEYS[1] the hash
  ARGV    field, value, field, value, ...
  Output: 1 created, 0 the key already existed
]]
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV))
return 1
