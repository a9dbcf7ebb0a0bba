--[[
  One red-packet grab: the shares were split at creation, so a grab pops one; one per member.
  KEYS[1] the red packet (hash)  KEYS[2] shares left (list)  KEYS[3] grabs (hash: user -> fen)
  KEYS[4] grab order (list of users)   KEYS[5] the participation outbox of the room's slot (list): `packet.grabbed`
  ARGV[1] user  ARGV[2] now  ARGV[3] room  ARGV[4] game
  Output: { 1, amount, left } or { code }: -1 not_found  -3 ended  -4 sold_out  -7 already_done
]]
--- @include "participation/emit"
local user = ARGV[1]
local g = redis.call('HMGET', KEYS[1], 'kind', 'status', 'expiresAt')
if g[1] ~= 'red-packet' then return { -1 } end
if g[2] ~= 'open' or tonumber(ARGV[2]) >= tonumber(g[3]) then return { -3 } end
if redis.call('HEXISTS', KEYS[3], user) == 1 then return { -7 } end
local amount = redis.call('LPOP', KEYS[2])
if not amount then return { -4 } end
redis.call('HSET', KEYS[3], user, amount)
redis.call('RPUSH', KEYS[4], user)
redis.call('HINCRBY', KEYS[1], 'grabbed', 1)
participated(KEYS[5], 'packet.grabbed:' .. ARGV[4] .. ':' .. user, 'packet.grabbed', tonumber(ARGV[2]), ARGV[3], user,
  '{"game":' .. cjson.encode(ARGV[4]) .. ',"amount":' .. string.format('%.0f', tonumber(amount)) .. '}')
return { 1, tonumber(amount), redis.call('HINCRBY', KEYS[1], 'left', -1) }
