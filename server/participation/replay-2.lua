--[[
  An operator sends a sink's dead letters again (the receiver is fixed): the oldest `n` letters'
  events go back to the end of the sink's queue and the letters leave the dead-letter list, in one
  step, so an event is in one of the two, never both or neither. Only when the list still starts
  with the letters that were read (its first and n-th are where they were): two replays at once
  send nothing twice.
  KEYS[1] the sink's dead letters (list)   KEYS[2] the sink's queue (list)
  ARGV[1] n   ARGV[2] the first letter read   ARGV[3] the n-th   ARGV[4..] their events, in order
  Output: how many events went back, or -1 when the list had moved on
]]
local n = tonumber(ARGV[1])
if redis.call('LRANGE', KEYS[1], 0, 0)[1] ~= ARGV[2] or redis.call('LRANGE', KEYS[1], n - 1, n - 1)[1] ~= ARGV[3] then return -1 end
for i = 4, #ARGV do redis.call('RPUSH', KEYS[2], ARGV[i]) end
redis.call('LTRIM', KEYS[1], n, -1)
return #ARGV - 3
