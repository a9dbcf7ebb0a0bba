--[[
  Joins of one group-buy campaign's groups, decided one by one in the order given, each exactly as
  join.lua decides it alone (a batch is what arrived while the previous one was in flight): one
  call, one step.
  KEYS[1] campaign (hash)   KEYS[2] campaign open members (hash)   KEYS[3] membership counts (hash)
  KEYS[4] campaign open groups (zset)   KEYS[5] order rooms (hash)   KEYS[6] unsettled orders (zset)
  KEYS[7] the room's figures (hash)   KEYS[8] the room's funnel reach (hash)
  KEYS[9] the participation outbox of the room's slot (list)
  then per join i (from 0): KEYS[10+3i] the group (hash), KEYS[11+3i] the joiner's order (hash),
    KEYS[12+3i] its refusal marker (string)
  ARGV[1] room   ARGV[2] request ttl (ms)
  then per join i: ARGV[3+3i] user, ARGV[4+3i] now (ms), ARGV[5+3i] order id
  Output: one answer per join, in order, each as join.lua answers it.
]]
--- @include "commerce/group-buy/join"
deferCounts()
local out = {}
for i = 0, (#KEYS - 9) / 3 - 1 do
  local key, arg = 10 + 3 * i, 3 + 3 * i
  out[i + 1] = join(
    { campaign = KEYS[1], openMembers = KEYS[2], counts = KEYS[3], group = KEYS[key], order = KEYS[key + 1],
      request = KEYS[key + 2], openGroups = KEYS[4], orderRooms = KEYS[5], unsettled = KEYS[6], figures = KEYS[7], reach = KEYS[8], outbox = KEYS[9] },
    { user = ARGV[arg], now = ARGV[arg + 1], orderId = ARGV[arg + 2], room = ARGV[1], requestTtl = ARGV[2] })
end
flushCounts()
return out
