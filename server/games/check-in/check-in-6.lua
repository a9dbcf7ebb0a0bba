--[[
  Today's check-in in a group room, decided atomically: one per member per day, the streak going on
  from yesterday or restarting, the day's reward (a cycle over the daily table, plus a bonus every
  bonusDay days of streak) added to the member's points with a ledger line.
  KEYS[1] the check-in game (hash)   KEYS[2] check-ins (hash: user -> "day,streak")
  KEYS[3] members per day (hash)     KEYS[4] points (hash: user -> balance)   KEYS[5] the user's ledger (list)
  KEYS[6] the participation outbox of the room's slot (list): `checkin.done`
  ARGV[1] user  ARGV[2] today  ARGV[3] yesterday  ARGV[4] now  ARGV[5] daily rewards, comma-separated
  ARGV[6] bonus day (0: none)  ARGV[7] bonus points  ARGV[8] ledger lines kept  ARGV[9] room  ARGV[10] game
  Output: { 1, streak, reward, balance, count } or { code }: -1 not_found  -3 ended  -7 already_done
]]
--- @include "games/points/ledger"
--- @include "participation/emit"
local user, today, yesterday = ARGV[1], ARGV[2], ARGV[3]
local g = redis.call('HMGET', KEYS[1], 'kind', 'status')
if g[1] ~= 'checkin' then return { -1 } end
if g[2] ~= 'open' then return { -3 } end

local streak = 1
local last = redis.call('HGET', KEYS[2], user)
if last then
  local day, lastStreak = string.match(last, '^([^,]+),(%d+)$')
  -- Days compare as strings (YYYY-MM-DD): a later stored day means the zone moved west; still done.
  if day >= today then return { -7 } end
  if day == yesterday then streak = tonumber(lastStreak) + 1 end
end

local daily = {}
for points in string.gmatch(ARGV[5], '[^,]+') do daily[#daily + 1] = tonumber(points) end
local reward = daily[((streak - 1) % #daily) + 1]
local bonusDay = tonumber(ARGV[6])
if bonusDay > 0 and streak % bonusDay == 0 then reward = reward + tonumber(ARGV[7]) end

redis.call('HSET', KEYS[2], user, today .. ',' .. streak)
local count = redis.call('HINCRBY', KEYS[3], today, 1)
local balance = redis.call('HINCRBY', KEYS[4], user, reward)
redis.call('LPUSH', KEYS[5], ledgerLine(tonumber(ARGV[4]), reward, 'check-in day ' .. streak, balance))
redis.call('LTRIM', KEYS[5], 0, tonumber(ARGV[8]) - 1)
participated(KEYS[6], 'checkin.done:' .. ARGV[10] .. ':' .. user .. ':' .. today, 'checkin.done', tonumber(ARGV[4]), ARGV[9], user,
  '{"game":' .. cjson.encode(ARGV[10]) .. ',"day":' .. cjson.encode(today) .. ',"streak":' .. string.format('%.0f', streak) .. ',"reward":' .. string.format('%.0f', reward) .. '}')
return { 1, streak, reward, balance, count }
