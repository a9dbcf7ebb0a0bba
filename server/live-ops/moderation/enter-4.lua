--[[
  A viewer entering a room: refused when banned; otherwise known from now on by their opaque id
  (what a host's mute or ban names) and, the first time, counted among the room's unique viewers
  and told as a participation event (`viewer.joined`).
  KEYS[1] bans (hash: opaque id -> sub)   KEYS[2] people (hash: opaque id -> sub)   KEYS[3] figures (hash)
  KEYS[4] participation outbox (list)
  ARGV[1] opaque id   ARGV[2] sub   ARGV[3] now (ms)   ARGV[4] room
  Output: 1 entered, or -12 banned
]]
--- @include "live-ops/figures/count"
--- @include "participation/emit"
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return -12 end
if redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[2]) == 1 then
  local now = tonumber(ARGV[3])
  count(KEYS[3], now, 'joined', 1)
  participated(KEYS[4], 'viewer.joined:' .. ARGV[4] .. ':' .. ARGV[1], 'viewer.joined', now, ARGV[4], ARGV[2])
end
return 1
