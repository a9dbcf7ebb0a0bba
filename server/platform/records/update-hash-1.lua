--[[
  Sets fields of a hash only if it exists, and answers the whole hash as it is after the write: one
  step, so a hash deleted meanwhile is never left half-made, and no other writer's fields slip in.
  KEYS[1] the hash
  ARGV    field, value, field, value, ... (none: only reads it)
  Output: the hash as HGETALL returns it, or an empty list when the key does not exist
]]
if redis.call('EXISTS', KEYS[1]) == 0 then return {} end
if #ARGV > 0 then redis.call('HSET', KEYS[1], unpack(ARGV)) end
return redis.call('HGETALL', KEYS[1])
