--[[
  Creates a record only if its id is free: its hash, its id in the room's set of its kind, and the
  work it makes due (a sale's start and end), in one step, so no record goes unlisted and no due
  work is lost to a node dying between two steps.
  KEYS[1] the record (hash)   KEYS[2] the room's records of its kind (set)   KEYS[3] schedule (zset)
  ARGV[1] the record's id   ARGV[2] n, the number of due items
  ARGV[3..2+2n] due time, schedule member, ...   ARGV[3+2n..] field, value, ...
  Output: 1 created, 0 the id was taken
]]
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local first = 3 + 2 * tonumber(ARGV[2])
for i = 3, first - 1, 2 do redis.call('ZADD', KEYS[3], ARGV[i], ARGV[i + 1]) end
redis.call('HSET', KEYS[1], unpack(ARGV, first))
redis.call('SADD', KEYS[2], ARGV[1])
return 1
