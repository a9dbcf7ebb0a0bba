--[[
  A viewer entering a room: refused when banned; otherwise known from now on by their opaque id
  (what a host's mute or ban names) and, the first time, counted among the room's unique viewers.
  KEYS[1] bans (hash: opaque id -> sub)   KEYS[2] people (hash: opaque id -> sub)   KEYS[3] figures (hash)
  ARGV[1] opaque id   ARGV[2] sub   ARGV[3] now (ms)
  Output: 1 entered, or -12 banned
]]
--- @include "live-ops/figures/count"
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return -12 end
if redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[2]) == 1 then count(KEYS[3], tonumber(ARGV[3]), 'joined', 1) end
return 1
