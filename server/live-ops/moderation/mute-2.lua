--[[
  Mutes (until > 0) or unmutes (until = 0) a viewer of the room, named by their opaque id.
  KEYS[1] people (hash: opaque id -> sub)   KEYS[2] mutes (hash: opaque id -> until)
  ARGV[1] opaque id   ARGV[2] until (ms), or 0 to unmute
  Output: 1, or -1 not_found (nobody of that id joined the room)
]]
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return -1 end
if ARGV[2] == '0' then redis.call('HDEL', KEYS[2], ARGV[1]) else redis.call('HSET', KEYS[2], ARGV[1], ARGV[2]) end
return 1
