--[[
  An order's move from one of the allowed states to another (platform/records/transition.lua),
  counted in its room's business figures in the same step (live-ops/figures/count.lua).
  KEYS[1] the order (hash)   KEYS[2] the room's figures (hash)   KEYS[3] the room's funnel reach (hash)
  KEYS[4] the participation outbox of the room's slot (list): `order.paid`
  KEYS[5] the payers of the room's slot (set): a viewer who paid is no longer new (新人购), from this step on
  ARGV[1] now (ms)   ARGV[2] allowed current states, comma-separated   ARGV[3] new state
  ARGV[4..] more fields to set: field, value, ...
  Output: the order as HGETALL returns it when moved; an empty list when it did not exist or was
          in another state.
]]
--- @include "platform/records/transition"
--- @include "live-ops/figures/count"
--- @include "participation/emit"
local moved = transition(KEYS[1], 'state', ARGV[2], ARGV[3], ARGV, 4)
if #moved > 0 then
  local order = redis.call('HMGET', KEYS[1], 'user', 'amount', 'id', 'room', 'source', 'campaign')
  countOrder(KEYS[2], KEYS[3], tonumber(ARGV[1]), order[1], ARGV[3], order[2])
  if ARGV[3] == 'paid' then
    redis.call('SADD', KEYS[5], order[1])
    participated(KEYS[4], 'order.paid:' .. order[3], 'order.paid', tonumber(ARGV[1]), order[4], order[1],
      '{"order":' .. cjson.encode(order[3]) .. ',"source":' .. cjson.encode(order[5]) .. ',"campaign":' .. cjson.encode(order[6] or '') .. ',"amount":' .. string.format('%.0f', tonumber(order[2])) .. '}')
  end
end
return moved
