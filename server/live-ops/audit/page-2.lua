--[[
  One page of a room's audit trail, newest first: the entries older than `before` (an id; 0 for
  the newest). Ids have no gaps, so entry id N sits at index (newest - N); read with the counter in
  one step, so an entry appended meanwhile cannot shift the page.
  KEYS[1] the trail (list, newest first)   KEYS[2] its counter (string)
  ARGV[1] before (0: from the newest)   ARGV[2] how many
  Output: the entries as kept, "<id> <JSON>"
]]
local newest = tonumber(redis.call('GET', KEYS[2]) or '0')
local before = tonumber(ARGV[1])
local from = 0
if before > 0 then from = math.max(0, newest - before + 1) end
return redis.call('LRANGE', KEYS[1], from, from + tonumber(ARGV[2]) - 1)
