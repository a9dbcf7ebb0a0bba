--[[
  Spends a member's points only if the balance covers them, so it never goes negative; every
  change has a ledger line with its reason.
  KEYS[1] points (hash: user -> balance)  KEYS[2] the user's ledger (list)
  ARGV[1] user  ARGV[2] points  ARGV[3] reason  ARGV[4] now  ARGV[5] ledger lines kept
  Output: { 1, balance } or { -9, balance } (not_eligible)
]]
--- @include "games/points/ledger"
local points = tonumber(ARGV[2])
local balance = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
if balance < points then return { -9, balance } end
balance = redis.call('HINCRBY', KEYS[1], ARGV[1], -points)
redis.call('LPUSH', KEYS[2], ledgerLine(tonumber(ARGV[4]), -points, ARGV[3], balance))
redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[5]) - 1)
return { 1, balance }
