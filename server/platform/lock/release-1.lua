--[[
  Releases a lock only for its holder: a holder whose lease ran out (and whose lock another node now
  holds) must not release the other's.
  KEYS[1] the lock (string: the holder's token)
  ARGV[1] the holder's token
  Output: 1 released, 0 not held by this token
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
