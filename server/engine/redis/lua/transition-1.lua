--[[
  Moves a campaign (any hash with a `status` field) from one of the allowed statuses to another,
  so that of racing callers (two hosts, two nodes' clocks) exactly one wins.
  KEYS[1] the campaign hash
  ARGV[1] allowed current statuses, comma-separated
  ARGV[2] new status
  ARGV[3..] more fields to set: field, value, ...
  Output: the hash as HGETALL returns it when moved; an empty list when it did not exist or was
          in another status.
]]
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return {} end
local allowed = false
for s in string.gmatch(ARGV[1], '[^,]+') do
  if s == status then allowed = true end
end
if not allowed then return {} end
redis.call('HSET', KEYS[1], 'status', ARGV[2])
for i = 3, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
return redis.call('HGETALL', KEYS[1])
