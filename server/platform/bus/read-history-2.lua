--[[
  Events after a seq, or word that history no longer reaches back that far.
  KEYS[1] room seq
  KEYS[2] room history
  ARGV[1] after seq
  Output: { seq, 1, id1, envelope1, id2, envelope2, ... } when complete,
          { seq, 0 } when the gap cannot be filled (caller sends a snapshot instead).
]]
local seq = tonumber(redis.call('GET', KEYS[1]) or '0')
local after = tonumber(ARGV[1])
if after > seq then return { seq, 0 } end
if after == seq then return { seq, 1 } end
local first = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', 1)
if #first == 0 or tonumber(string.match(first[1][1], '^(%d+)')) > after + 1 then return { seq, 0 } end
local out = { seq, 1 }
for _, entry in ipairs(redis.call('XRANGE', KEYS[2], '(' .. after .. '-0', '+')) do
  out[#out + 1] = entry[1]
  out[#out + 1] = entry[2][2]
end
return out
