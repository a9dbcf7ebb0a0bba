--[[
  Bans (ARGV[2] = 1) or unbans (0) a viewer of the room, named by their opaque id.
  KEYS[1] people (hash: opaque id -> sub)   KEYS[2] bans (hash: opaque id -> sub)
  ARGV[1] opaque id   ARGV[2] 1 to ban, 0 to unban
  Output: { 1, sub }, or { -1 } not_found (nobody of that id joined the room)
]]
local sub = redis.call('HGET', KEYS[1], ARGV[1])
if not sub then return { -1 } end
if ARGV[2] == '1' then redis.call('HSET', KEYS[2], ARGV[1], sub) else redis.call('HDEL', KEYS[2], ARGV[1]) end
return { 1, sub }
