--[[
  Hands the oldest events of a slot's outbox to the sinks that take them, in one step: each event is
  in the queue of every enabled sink that takes its type, or still in the outbox; never in neither,
  never twice in one queue. An event no enabled sink takes is dropped (nothing would ever read it).
  KEYS[1] the outbox (list)   KEYS[2..4] the sinks' queues (lists): the CRM webhook, WeCom tags, prize fulfilment
  ARGV[1] how many events at most
  ARGV[2..4] what each sink takes: "" (the sink is off), "*" (every type), or ",type,type,"
  Output: how many events moved
]]
local events = redis.call('LRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1)
if #events == 0 then return 0 end
for i = 1, #events do
  local typeOf = cjson.decode(events[i])['type']
  for sink = 2, 4 do
    local takes = ARGV[sink]
    if takes == '*' or (takes ~= '' and string.find(takes, ',' .. typeOf .. ',', 1, true)) then
      redis.call('RPUSH', KEYS[sink], events[i])
    end
  end
end
redis.call('LTRIM', KEYS[1], #events, -1)
return #events
