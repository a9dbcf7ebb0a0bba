--[[
  A draw's winners stored (`drawing -> drawn`, platform/records/transition.lua), and each winner's
  `draw.won` in the same step: of racing nodes one stores and its winners are told once; the event
  is what hands the prize on (prize fulfilment, the brand's CRM).
  KEYS[1] the draw (hash)   KEYS[2] its entrants (hash: opaque id -> user)
  KEYS[3] the participation outbox of the room's slot (list): `draw.won`
  ARGV[1] now   ARGV[2] room   ARGV[3] game   ARGV[4] n, the winners   ARGV[5 .. 4+2n] each winner's opaque id and prize
  ARGV[5+2n ..] the fields to set with the status: field, value, ...
  Output: the hash as HGETALL returns it when stored; an empty list when it was not `drawing`.
]]
--- @include "platform/records/transition"
--- @include "participation/emit"
local n = tonumber(ARGV[4])
local drawn = transition(KEYS[1], 'status', 'drawing', 'drawn', ARGV, 5 + 2 * n)
if #drawn == 0 then return drawn end
for i = 0, n - 1 do
  local entrant, prize = ARGV[5 + 2 * i], ARGV[6 + 2 * i]
  local user = redis.call('HGET', KEYS[2], entrant)
  if user then
    participated(KEYS[3], 'draw.won:' .. ARGV[3] .. ':' .. entrant, 'draw.won', tonumber(ARGV[1]), ARGV[2], user,
      '{"game":' .. cjson.encode(ARGV[3]) .. ',"prize":' .. cjson.encode(prize) .. '}')
  end
end
return drawn
