--[[
  A sink is done with the oldest `n` events of its queue: delivered (`dead` empty) or refused for
  good (they go, with why, to the dead-letter list, for an operator). One step: an event is in the
  queue or gone, never both.
  KEYS[1] the sink's queue (list)   KEYS[2] the sink's dead letters (list)
  ARGV[1] n   ARGV[2] the dead letter (JSON with the events), or "" when they were delivered
  Output: 1
]]
if ARGV[2] ~= '' then redis.call('RPUSH', KEYS[2], ARGV[2]) end
redis.call('LTRIM', KEYS[1], tonumber(ARGV[1]), -1)
return 1
