--[[
  Stores a room's latest value for a state key (read by snapshots) and publishes it.
  KEYS[1] room state (hash: key -> msgpack value)
  ARGV[1] state key
  ARGV[2] value (msgpack)
  ARGV[3] bus channel
  ARGV[4] envelope (msgpack)
  ARGV[5] "1" on a Redis Cluster: sharded pub/sub (platform/bus/publish.lua)
  Output: 0
]]
--- @include "platform/bus/publish"
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
busPublish(ARGV[5], ARGV[3], cmsgpack.pack(0) .. ARGV[4])
return 0
