--[[
  Removes tag names from a viewer's pending ones once they are on the customer, in one step: names
  added meanwhile (by another node) stay, and the viewer's entry goes when none is left, as does
  their mark among the customers whose pending tags are being put on (the sweep's list). Until this
  runs the names stay pending, so a node dying while it tags loses none.
  KEYS[1] pending tags (hash: unionid -> JSON array of names)
  KEYS[2] customers whose pending tags are being put on (hash: unionid -> since, ms)
  ARGV[1] the viewer's unionid   ARGV[2..] tag names now on the customer
  Output: how many names are still pending for the viewer
]]
local json = redis.call('HGET', KEYS[1], ARGV[1])
local left = {}
if json then
  local done = {}
  for i = 2, #ARGV do done[ARGV[i]] = true end
  for _, name in ipairs(cjson.decode(json)) do
    if not done[name] then left[#left + 1] = name end
  end
end
if #left == 0 then
  redis.call('HDEL', KEYS[1], ARGV[1])
  redis.call('HDEL', KEYS[2], ARGV[1])
else
  redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(left))
end
return #left
