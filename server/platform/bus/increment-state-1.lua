--[[
  Adds to a room's numeric state value and publishes the new total.
  KEYS[1] room counters (hash: key -> integer)
  ARGV[1] state key
  ARGV[2] increment
  ARGV[3] bus channel
  ARGV[4] envelope (msgpack; its value is the stamp)
  ARGV[5] "1" on a Redis Cluster: sharded pub/sub (platform/bus/publish.lua)
  Output: the new total. The published message is msgpack(total) followed by the envelope.
]]
--- @include "platform/bus/publish"
local total = redis.call('HINCRBY', KEYS[1], ARGV[1], ARGV[2])
busPublish(ARGV[5], ARGV[3], cmsgpack.pack(total) .. ARGV[4])
return total
