--[[
  One help, decided atomically: one help per helper per assist, no self-help, the campaign's
  per-helper cap across its assists; the completing help completes the assist exactly once and,
  when the campaign has a price, reserves the owner's purchase at that price.
  KEYS[1] the assist (hash)   KEYS[2] campaign (hash)   KEYS[3] campaign helper counts (hash)
  KEYS[4] campaign open owners (hash)
  KEYS[5] the request (string "ok" or "!<code>"; a help makes no record of its own, and a repeat after
          the marker expired is refused already_done by the helpers list, never counted twice)
  KEYS[6] order rooms (hash)   KEYS[7] unsettled orders (zset)
  ARGV[1] helper  ARGV[2] now  ARGV[3] request ttl  ARGV[4] reward order id  ARGV[5] order key prefix
  ARGV[6] reward pay window (ms)
  Output: { 1, replayed, completedNow, assist field, value, ... } or { code }: -1 not_found
    -3 ended  -5 limit_reached  -7 already_done  -8 expired  -11 self_help
]]
--- @include "platform/records/requests"
--- @include "orders/index-order"
local assistKey, campaignKey, countsKey, ownersKey, requestKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local helper, now = ARGV[1], tonumber(ARGV[2])
local function answer(replayed, completedNow) return withHash({ 1, replayed, completedNow }, assistKey) end
local function refuse(code) return refuseRequest(requestKey, ARGV[3], code) end

local first = redis.call('GET', requestKey)
if first == 'ok' then return answer(1, 0) end
if first then return { tonumber(string.sub(first, 2)) } end

local a = redis.call('HMGET', assistKey, 'status', 'expiresAt', 'owner', 'helpers', 'target', 'id', 'room')
if not a[1] then return refuse(-1) end
if a[3] == helper then return refuse(-11) end
local helpers = cjson.decode(a[4])
for _, h in ipairs(helpers) do if h == helper then return refuse(-7) end end
if a[1] == 'completed' then return refuse(-3) end
if a[1] == 'expired' or now >= tonumber(a[2]) then return refuse(-8) end
local c = redis.call('HMGET', campaignKey, 'perHelperLimit', 'price', 'product')
if tonumber(redis.call('HGET', countsKey, helper) or '0') >= tonumber(c[1]) then return refuse(-5) end

helpers[#helpers + 1] = helper
redis.call('HSET', assistKey, 'helpers', cjson.encode(helpers))
redis.call('HINCRBY', countsKey, helper, 1)
redis.call('SET', requestKey, 'ok', 'PX', ARGV[3])
if #helpers < tonumber(a[5]) then return answer(0, 0) end

redis.call('HSET', assistKey, 'status', 'completed', 'completedAt', now)
redis.call('HDEL', ownersKey, a[3])
redis.call('HINCRBY', campaignKey, 'completed', 1)
if c[2] then
  redis.call('HSET', ARGV[5] .. ARGV[4], 'id', ARGV[4], 'room', a[7], 'user', a[3], 'source', 'assist',
    'campaign', redis.call('HGET', campaignKey, 'id'), 'product', cjson.decode(c[3]).id, 'qty', 1, 'price', c[2],
    'amount', c[2], 'state', 'reserved', 'createdAt', now, 'payDeadline', now + tonumber(ARGV[6]))
  indexOrder(KEYS[6], KEYS[7], ARGV[4], a[7], now)
  redis.call('HSET', assistKey, 'order', ARGV[4])
end
return answer(0, 1)
