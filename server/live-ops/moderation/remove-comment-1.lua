--[[
  Marks one of the room's kept comments removed (`<id>:removed`); a repeat finds it so already and
  answers the same.
  KEYS[1] comments (hash: id -> comment JSON, <id>:removed -> 1)
  ARGV[1] comment id
  Output: 1, or -1 not_found (no such comment among those kept)
]]
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return -1 end
redis.call('HSET', KEYS[1], ARGV[1] .. ':removed', 1)
return 1
