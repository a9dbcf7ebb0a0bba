--[[
  Adds tag names to a viewer's pending ones (they are not a customer yet: WeCom has no pair to tag,
  84061), in one step, so two nodes adding at once lose neither's names.
  KEYS[1] pending tags (hash: unionid -> JSON array of names)
  ARGV[1] the viewer's unionid   ARGV[2..] tag names
  Output: how many names are pending for the viewer
]]
local json = redis.call('HGET', KEYS[1], ARGV[1])
local names = json and cjson.decode(json) or {}
local seen = {}
for _, name in ipairs(names) do seen[name] = true end
for i = 2, #ARGV do
  if not seen[ARGV[i]] then
    names[#names + 1] = ARGV[i]
    seen[ARGV[i]] = true
  end
end
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(names))
return #names
