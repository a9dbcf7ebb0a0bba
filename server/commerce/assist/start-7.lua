--[[
  A viewer starts an assist (助力) of a campaign; one open assist per user per campaign (starting
  again answers the open one). The assist id is derived from the request: an existing assist key is
  a repeat and answers itself. A share code already taken is refused (-12) so the caller draws another.
  KEYS[1] campaign (hash)   KEYS[2] campaign open owners (hash: user -> assist id)
  KEYS[3] the new assist (hash)   KEYS[4] assist rooms (hash: assist id -> room)
  KEYS[5] share codes (hash: code -> "<room>|<assist id>")
  KEYS[6] schedule (zset): the assist's expiry, in the same step as the assist
  KEYS[7] the participation outbox of the room's slot (list): `assist.started`
  ARGV[1] user  ARGV[2] now  ARGV[3] assist id  ARGV[4] room  ARGV[5] share code  ARGV[6] assist key prefix
  ARGV[7] schedule member
  Output: { 1, created, assist field, value, ... } or { code }: -1 not_found  -3 ended  -12 code taken
]]
--- @include "platform/records/requests"
--- @include "participation/emit"
if redis.call('EXISTS', KEYS[3]) == 1 then return withHash({ 1, 0 }, KEYS[3]) end
local c = redis.call('HMGET', KEYS[1], 'status', 'target', 'ttlSec', 'id')
if not c[1] then return { -1 } end
if c[1] ~= 'live' then return { -3 } end
local now = tonumber(ARGV[2])
local existing = redis.call('HGET', KEYS[2], ARGV[1])
if existing then
  local key = ARGV[6] .. existing
  local a = redis.call('HMGET', key, 'status', 'expiresAt')
  if a[1] == 'open' and now < tonumber(a[2]) then
    return withHash({ 1, 0 }, key)
  end
end
if redis.call('HSETNX', KEYS[5], ARGV[5], ARGV[4] .. '|' .. ARGV[3]) == 0 then return { -12 } end
local expiresAt = now + tonumber(c[3]) * 1000
redis.call('HSET', KEYS[3], 'id', ARGV[3], 'room', ARGV[4], 'campaign', c[4], 'owner', ARGV[1], 'helpers', '[]',
  'target', c[2], 'shareCode', ARGV[5], 'status', 'open', 'createdAt', now, 'expiresAt', expiresAt)
redis.call('ZADD', KEYS[6], expiresAt, ARGV[7])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
redis.call('HSET', KEYS[4], ARGV[3], ARGV[4])
redis.call('HINCRBY', KEYS[1], 'started', 1)
participated(KEYS[7], 'assist.started:' .. ARGV[3], 'assist.started', now, ARGV[4], ARGV[1],
  '{"assist":' .. cjson.encode(ARGV[3]) .. ',"campaign":' .. cjson.encode(c[4]) .. ',"target":' .. string.format('%.0f', tonumber(c[2])) .. '}')
return withHash({ 1, 1 }, KEYS[3])
