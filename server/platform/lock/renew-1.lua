--[[
  Extends a lock's lease for its holder, while its work runs: a holder that died stops renewing and
  its lock lapses one lease later; one whose lease already ran out (another node holds it) gets 0.
  KEYS[1] the lock (string: the holder's token)
  ARGV[1] the holder's token
  ARGV[2] the lease (ms), from now
  Output: 1 renewed, 0 not held by this token
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
