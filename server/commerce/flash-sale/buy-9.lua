--[[
  Buys on one sale, decided one by one in the order given, each exactly as buy.lua decides it
  alone (a batch is what arrived while the previous one was in flight): one call, one step.
  KEYS[1] sale (hash)   KEYS[2] sale buyers (hash)   KEYS[3] schedule (zset)
  KEYS[4] order rooms (hash)   KEYS[5] unsettled orders (zset)   KEYS[6] the room (hash)
  KEYS[7] the room's figures (hash)   KEYS[8] the room's funnel reach (hash)
  KEYS[9] the participation outbox of the room's slot (list)
  then per buy i (from 0): KEYS[10+3i] its order (hash), KEYS[11+3i] its refusal marker (string),
    KEYS[12+3i] the coupon it applies (hash), or any absent key when none
  ARGV[1] room   ARGV[2] request ttl (ms)
  then per buy i: ARGV[3+6i] user, ARGV[4+6i] qty, ARGV[5+6i] now (ms), ARGV[6+6i] order id,
    ARGV[7+6i] coupon id or "", ARGV[8+6i] schedule member for the order's pay deadline
  Output: one answer per buy, in order, each as buy.lua answers it.
]]
--- @include "commerce/flash-sale/buy"
deferCounts()
local out = {}
for i = 0, (#KEYS - 9) / 3 - 1 do
  local key, arg = 10 + 3 * i, 3 + 6 * i
  out[i + 1] = buy(
    { sale = KEYS[1], buyers = KEYS[2], order = KEYS[key], request = KEYS[key + 1], schedule = KEYS[3],
      coupon = KEYS[key + 2], orderRooms = KEYS[4], unsettled = KEYS[5], room = KEYS[6], figures = KEYS[7], reach = KEYS[8], outbox = KEYS[9] },
    { user = ARGV[arg], qty = ARGV[arg + 1], now = ARGV[arg + 2], orderId = ARGV[arg + 3], room = ARGV[1],
      coupon = ARGV[arg + 4], requestTtl = ARGV[2], deadlineMember = ARGV[arg + 5] })
end
flushCounts()
return out
