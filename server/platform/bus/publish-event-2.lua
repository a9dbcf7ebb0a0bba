--[[
  Allocates a room's next seq, appends the event to the room's history and publishes it, in one
  step, so every node sees a room's critical events in seq order.
  KEYS[1] room seq (string counter)
  KEYS[2] room history (stream; entry id = "<seq>-0", field "e" = envelope)
  ARGV[1] bus channel
  ARGV[2] envelope (msgpack, without seq)
  ARGV[3] history size (exact trim: the embedded store keeps the same entries as Redis)
  ARGV[4] "1" on a Redis Cluster: sharded pub/sub (platform/bus/publish.lua)
  Output: the new seq. The published message is msgpack(seq) followed by the envelope.
]]
--- @include "platform/bus/publish"
local seq = redis.call('INCR', KEYS[1])
redis.call('XADD', KEYS[2], 'MAXLEN', ARGV[3], seq .. '-0', 'e', ARGV[2])
busPublish(ARGV[4], ARGV[1], cmsgpack.pack(seq) .. ARGV[2])
return seq
