--[[
  Claims of one coupon, decided one by one in the order given, each exactly as claim.lua decides it
  alone (a batch is what arrived while the previous one was in flight): one call, one step.
  KEYS[1] campaign (hash)   KEYS[2] campaign claimers (hash)   KEYS[3] the room (hash)
  KEYS[4] the participation outbox of the room's slot (list)
  then per claim i (from 0): KEYS[5+2i] its coupon (hash), KEYS[6+2i] its refusal marker (string)
  ARGV[1] request ttl (ms)   ARGV[2] room
  then per claim i: ARGV[3+3i] user, ARGV[4+3i] now (ms), ARGV[5+3i] coupon id
  Output: one answer per claim, in order, each as claim.lua answers it.
]]
--- @include "commerce/coupon/claim"
local out = {}
for i = 0, (#KEYS - 4) / 2 - 1 do
  local key, arg = 5 + 2 * i, 3 + 3 * i
  out[i + 1] = claim(
    { campaign = KEYS[1], claimers = KEYS[2], coupon = KEYS[key], request = KEYS[key + 1], room = KEYS[3], outbox = KEYS[4] },
    { user = ARGV[arg], now = ARGV[arg + 1], couponId = ARGV[arg + 2], requestTtl = ARGV[1], room = ARGV[2] })
end
return out
