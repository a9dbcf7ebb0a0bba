--[[
  A lucky-draw entry: only while the draw is open and before drawAt, once per member, and for
  check-in draws only by members who checked in on the given day. The draw is over entrants'
  room-scoped opaque ids (what every member sees and verifies); who each id is stays here.
  KEYS[1] the draw (hash)   KEYS[2] its entries (set of entrant ids)   KEYS[3] check-ins (hash:
    user -> "day,streak")   KEYS[4] the entrants (hash: entrant id -> user)
  KEYS[5] the participation outbox of the room's slot (list): `draw.entered`
  ARGV[1] user  ARGV[2] now  ARGV[3] the day a check-in is required on ('' for none)
  ARGV[4] the user's entrant id   ARGV[5] room   ARGV[6] game
  Output: { 1, entries } or { code }: -1 not_found  -3 ended  -7 already_done  -9 not_eligible
]]
--- @include "participation/emit"
local user = ARGV[1]
local g = redis.call('HMGET', KEYS[1], 'kind', 'status', 'drawAt')
if g[1] ~= 'draw' then return { -1 } end
if g[2] ~= 'open' or tonumber(ARGV[2]) >= tonumber(g[3]) then return { -3 } end
if ARGV[3] ~= '' then
  local last = redis.call('HGET', KEYS[3], user)
  if not last or string.sub(last, 1, #ARGV[3] + 1) ~= ARGV[3] .. ',' then return { -9 } end
end
if redis.call('SADD', KEYS[2], ARGV[4]) == 0 then return { -7 } end
redis.call('HSET', KEYS[4], ARGV[4], user)
local entries = redis.call('SCARD', KEYS[2])
redis.call('HSET', KEYS[1], 'entries', entries)
participated(KEYS[5], 'draw.entered:' .. ARGV[6] .. ':' .. ARGV[4], 'draw.entered', tonumber(ARGV[2]), ARGV[5], user, '{"game":' .. cjson.encode(ARGV[6]) .. '}')
return { 1, entries }
