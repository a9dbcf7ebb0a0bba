--[[
  Moves a record (a campaign's `status`, an order's `state`) from one of the allowed values to
  another, so that of racing callers (two hosts, two nodes' clocks, a payment and its deadline)
  exactly one wins.
  KEYS[1] the record (hash)
  ARGV[1] the field that holds the status
  ARGV[2] allowed current values, comma-separated
  ARGV[3] new value
  ARGV[4..] more fields to set: field, value, ...
  Output: the hash as HGETALL returns it when moved; an empty list when it did not exist or was
          in another status.
]]
local status = redis.call('HGET', KEYS[1], ARGV[1])
if not status then return {} end
local allowed = false
for s in string.gmatch(ARGV[2], '[^,]+') do
  if s == status then allowed = true end
end
if not allowed then return {} end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
for i = 4, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
return redis.call('HGETALL', KEYS[1])
