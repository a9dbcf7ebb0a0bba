--[[
  Replaces the room's keyword list and bumps its version, so every node's cached copy is stale.
  KEYS[1] moderation (hash: keywords, kwv)
  ARGV[1] the list, JSON
  Output: the new version
]]
redis.call('HSET', KEYS[1], 'keywords', ARGV[1])
return redis.call('HINCRBY', KEYS[1], 'kwv', 1)
