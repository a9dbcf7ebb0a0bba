--[[
  Hands the oldest events of a slot's outbox to the sinks that take them, in one step: each event is
  in every enabled sink's queue or still in the outbox, never in neither, never twice in one queue.
  With no sink enabled the events are dropped (nothing would ever read them).
  KEYS[1] the outbox (list)   KEYS[2] the CRM webhook's queue (list)   KEYS[3] the WeCom tags' queue (list)
  ARGV[1] how many at most   ARGV[2] "1" when the CRM sink is on   ARGV[3] "1" when the tags sink is on
  Output: how many events moved
]]
local events = redis.call('LRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1)
if #events == 0 then return 0 end
for i = 1, #events do
  if ARGV[2] == '1' then redis.call('RPUSH', KEYS[2], events[i]) end
  if ARGV[3] == '1' then redis.call('RPUSH', KEYS[3], events[i]) end
end
redis.call('LTRIM', KEYS[1], #events, -1)
return #events
