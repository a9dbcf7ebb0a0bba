--[[
  A sink is done with the oldest `n` events of its queue: delivered (`dead` empty) or refused for
  good (they go, with why, to the dead-letter list, for an operator). One step: an event is in the
  queue or gone, never both. Only when the queue still starts with the batch that was sent (its
  first and last events are where they were): a holder whose lock lapsed meanwhile, and whose batch
  another node took already, must not remove the events after it, unsent.
  KEYS[1] the sink's queue (list)   KEYS[2] the sink's dead letters (list)
  ARGV[1] n   ARGV[2] the dead letter (JSON with the events), or "" when they were delivered
  ARGV[3] the batch's first event   ARGV[4] its last
  Output: 1 when taken, 0 when the queue had moved on
]]
local n = tonumber(ARGV[1])
if redis.call('LRANGE', KEYS[1], 0, 0)[1] ~= ARGV[3] or redis.call('LRANGE', KEYS[1], n - 1, n - 1)[1] ~= ARGV[4] then return 0 end
if ARGV[2] ~= '' then redis.call('RPUSH', KEYS[2], ARGV[2]) end
redis.call('LTRIM', KEYS[1], n, -1)
return 1
