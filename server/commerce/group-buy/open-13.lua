--[[
  A viewer opens a new group of a group-buy campaign and becomes its leader, with a reservation.
  A user is in at most one open group of a campaign, and in at most perUserLimit groups in all.
  KEYS[1] campaign (hash)
  KEYS[2] campaign open members (hash: user -> group id, while the group is open)
  KEYS[3] campaign membership counts (hash: user -> groups joined, failed ones excluded)
  KEYS[4] the new group (hash)
  KEYS[5] the leader's order (hash)
  KEYS[6] the request's refusal marker (string "!<code>")
  KEYS[7] campaign open groups (zset: group id -> members)
  KEYS[8] order rooms (hash: order id -> room)
  KEYS[9] schedule (zset: due time -> member): the group's expiry, in the same step as the group
  KEYS[10] unsettled orders (zset)
  KEYS[11] the room's figures (hash)   KEYS[12] the room's funnel reach (hash) (live-ops/figures/count.lua)
  KEYS[13] the participation outbox of the room's slot (list): `group.joined`, `order.reserved`
  ARGV[1] user  ARGV[2] now  ARGV[3] group id  ARGV[4] order id  ARGV[5] room  ARGV[6] request ttl  ARGV[7] schedule member
  Output: { 1, replayed, group field, value, ... } or { code }: -1 not_found  -3 ended
    -5 limit_reached  -7 already_done
]]
--- @include "platform/records/requests"
--- @include "orders/index-order"
--- @include "live-ops/figures/count"
--- @include "participation/emit"
local campaignKey, openKey, countsKey, groupKey, orderKey, requestKey, openGroupsKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7]
local user, now = ARGV[1], tonumber(ARGV[2])
local function answer(replayed) return withHash({ 1, replayed }, groupKey) end
local function refuse(code) return refuseRequest(requestKey, ARGV[6], code) end

if redis.call('EXISTS', groupKey) == 1 then return answer(1) end
local refused = refusedBefore(requestKey)
if refused then return { refused } end
reach(KEYS[12], KEYS[11], now, user, 'tapped')

local c = redis.call('HMGET', campaignKey, 'status', 'size', 'ttlSec', 'perUserLimit', 'price', 'product', 'id')
if not c[1] then return refuse(-1) end
if c[1] ~= 'live' then return refuse(-3) end
if redis.call('HEXISTS', openKey, user) == 1 then return refuse(-7) end
if tonumber(redis.call('HGET', countsKey, user) or '0') >= tonumber(c[4]) then return refuse(-5) end

local expiresAt = now + tonumber(c[3]) * 1000
redis.call('HSET', groupKey, 'id', ARGV[3], 'room', ARGV[5], 'campaign', c[7], 'leader', user,
  'members', cjson.encode({ user }), 'orders', cjson.encode({ ARGV[4] }), 'size', c[2], 'status', 'open',
  'createdAt', now, 'expiresAt', expiresAt)
redis.call('HSET', orderKey, 'id', ARGV[4], 'room', ARGV[5], 'user', user, 'source', 'group', 'campaign', c[7],
  'group', ARGV[3], 'product', cjson.decode(c[6]).id, 'qty', 1, 'price', c[5], 'amount', c[5], 'state', 'reserved',
  'createdAt', now, 'payDeadline', expiresAt)
indexOrder(KEYS[8], KEYS[10], ARGV[4], ARGV[5], now)
countOrder(KEYS[11], KEYS[12], now, user, 'reserved', c[5])
participated(KEYS[13], 'group.joined:' .. ARGV[4], 'group.joined', now, ARGV[5], user,
  '{"group":' .. cjson.encode(ARGV[3]) .. ',"campaign":' .. cjson.encode(c[7]) .. ',"leader":true}')
participated(KEYS[13], 'order.reserved:' .. ARGV[4], 'order.reserved', now, ARGV[5], user,
  '{"order":' .. cjson.encode(ARGV[4]) .. ',"source":"group","campaign":' .. cjson.encode(c[7]) .. ',"qty":1,"amount":' .. string.format('%.0f', tonumber(c[5])) .. '}')
redis.call('HSET', openKey, user, ARGV[3])
redis.call('HINCRBY', countsKey, user, 1)
redis.call('HINCRBY', campaignKey, 'opened', 1)
redis.call('ZADD', openGroupsKey, 1, ARGV[3])
redis.call('ZADD', KEYS[9], expiresAt, ARGV[7])
return answer(0)
