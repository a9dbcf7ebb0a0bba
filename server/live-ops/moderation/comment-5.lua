--[[
  A viewer's comment, decided in one step: refused while its author is muted; otherwise numbered
  (its id), kept among the room's latest comments (a host removes or acts on those) unless the
  keywords or the content check hid it, and counted. The caller matched the keywords with the
  version it had; a list changed since answers `stale` and the caller matches again.
  KEYS[1] moderation (hash: kwv, comments)   KEYS[2] mutes (hash: opaque id -> until)
  KEYS[3] comments (hash: id -> comment, <id>:removed)   KEYS[4] comment ids (list, oldest first)
  KEYS[5] figures (hash)
  ARGV[1] author's opaque id   ARGV[2] now (ms)   ARGV[3] keyword version matched
  ARGV[4] 1 when hidden (only its author sees it), else 0   ARGV[5] the comment, JSON
  ARGV[6] comments kept
  Output: { 1, comment id } or { code }: -13 muted  -14 stale (the keyword list changed)
]]
--- @include "live-ops/figures/count"
local now = tonumber(ARGV[2])
if tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0') > now then return { -13 } end
if (redis.call('HGET', KEYS[1], 'kwv') or '0') ~= ARGV[3] then return { -14 } end
local id = 'c' .. redis.call('HINCRBY', KEYS[1], 'comments', 1)
if ARGV[4] == '1' then
  count(KEYS[5], now, 'blocked', 1)
  return { 1, id }
end
redis.call('HSET', KEYS[3], id, ARGV[5])
if redis.call('RPUSH', KEYS[4], id) > tonumber(ARGV[6]) then
  local oldest = redis.call('LPOP', KEYS[4])
  redis.call('HDEL', KEYS[3], oldest, oldest .. ':removed')
end
count(KEYS[5], now, 'comments', 1)
return { 1, id }
