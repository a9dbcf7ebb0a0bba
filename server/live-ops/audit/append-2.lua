--[[
  Appends one entry to a room's audit trail, numbered (ids 1, 2, ... with no gaps, so a page is a
  range of the list), newest first, keeping the latest `kept`.
  KEYS[1] the trail (list, newest first)   KEYS[2] its counter (string)
  ARGV[1] the entry, JSON, without its id   ARGV[2] entries kept
  Output: the entry's id
]]
local id = redis.call('INCR', KEYS[2])
redis.call('LPUSH', KEYS[1], id .. ' ' .. ARGV[1])
redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[2]) - 1)
return id
