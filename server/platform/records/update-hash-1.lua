--[[
  Sets fields of a hash only if it exists, and answers the whole hash.
  KEYS[1] the hash
  ARGV    field, value, field, value, ...
  Output: the hash as HGETALL returns it, or an empty list when the key does not exist
]]
if redis.call('EXISTS', KEYS[1]) == 0 then return {} end
redis.call('HSET', KEYS[1], unpack(ARGV))
return redis.call('HGETALL', KEYS[1])
