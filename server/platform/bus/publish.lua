--[[
  Publishes on the bus: on a Redis Cluster by sharded pub/sub (`sharded` is "1": SPUBLISH reaches the
  nodes subscribed to the channel through its own shard only), on one Redis by PUBLISH.
]]
local function busPublish(sharded, channel, message)
  if sharded == '1' then return redis.call('SPUBLISH', channel, message) end
  return redis.call('PUBLISH', channel, message)
end
