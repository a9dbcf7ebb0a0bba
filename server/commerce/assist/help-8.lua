--[[
  Helps of one assist campaign's assists, decided one by one in the order given, each exactly as
  help.lua decides it alone (a batch is what arrived while the previous one was in flight): one
  call, one step.
  KEYS[1] campaign (hash)   KEYS[2] campaign helper counts (hash)   KEYS[3] campaign open owners (hash)
  KEYS[4] order rooms (hash)   KEYS[5] unsettled orders (zset)
  KEYS[6] the room's figures (hash)   KEYS[7] the room's funnel reach (hash)
  KEYS[8] the participation outbox of the room's slot (list)
  then per help i (from 0): KEYS[9+2i] the assist (hash), KEYS[10+2i] its request marker (string)
  ARGV[1] request ttl (ms)   ARGV[2] order key prefix   ARGV[3] reward pay window (ms)
  then per help i: ARGV[4+3i] helper, ARGV[5+3i] now (ms), ARGV[6+3i] the assist's reward order id
  Output: one answer per help, in order, each as help.lua answers it.
]]
--- @include "commerce/assist/help"
deferCounts()
local out = {}
for i = 0, (#KEYS - 8) / 2 - 1 do
  local key, arg = 9 + 2 * i, 4 + 3 * i
  out[i + 1] = help(
    { assist = KEYS[key], campaign = KEYS[1], counts = KEYS[2], owners = KEYS[3], request = KEYS[key + 1],
      orderRooms = KEYS[4], unsettled = KEYS[5], figures = KEYS[6], reach = KEYS[7], outbox = KEYS[8] },
    { helper = ARGV[arg], now = ARGV[arg + 1], requestTtl = ARGV[1], rewardOrderId = ARGV[arg + 2],
      orderPrefix = ARGV[2], rewardPayWindow = ARGV[3] })
end
flushCounts()
return out
