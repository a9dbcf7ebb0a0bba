--[[
  Publishes a numeric field of a hash as room state, read at the moment of publishing: of several
  nodes publishing a changing counter (stock left), the last message delivered is the newest value.
  KEYS[1] source hash (e.g. a flash sale)
  KEYS[2] room counters (hash: state key -> integer, read by snapshots)
  ARGV[1] source field   ARGV[2] state key   ARGV[3] bus channel
  ARGV[4] envelope (msgpack; its value is the stamp)
  ARGV[5] "1" on a Redis Cluster: sharded pub/sub (platform/bus/publish.lua)
  Output: the value published
]]
--- @include "platform/bus/publish"
local value = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
redis.call('HSET', KEYS[2], ARGV[2], value)
busPublish(ARGV[5], ARGV[3], cmsgpack.pack(value) .. ARGV[4])
return value
