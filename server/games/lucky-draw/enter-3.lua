--[[
  A lucky-draw entry: only while the draw is open and before drawAt, once per member, and for
  check-in draws only by members who checked in on the given day.
  KEYS[1] the draw (hash)   KEYS[2] its entries (set)   KEYS[3] check-ins (hash: user -> "day,streak")
  ARGV[1] user  ARGV[2] now  ARGV[3] the day a check-in is required on ('' for none)
  Output: { 1, entries } or { code }: -1 not_found  -3 ended  -7 already_done  -9 not_eligible
]]
local user = ARGV[1]
local g = redis.call('HMGET', KEYS[1], 'kind', 'status', 'drawAt')
if g[1] ~= 'draw' then return { -1 } end
if g[2] ~= 'open' or tonumber(ARGV[2]) >= tonumber(g[3]) then return { -3 } end
if ARGV[3] ~= '' then
  local last = redis.call('HGET', KEYS[3], user)
  if not last or string.sub(last, 1, #ARGV[3] + 1) ~= ARGV[3] .. ',' then return { -9 } end
end
if redis.call('SADD', KEYS[2], user) == 0 then return { -7 } end
local entries = redis.call('SCARD', KEYS[2])
redis.call('HSET', KEYS[1], 'entries', entries)
return { 1, entries }
