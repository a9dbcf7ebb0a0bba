--[[
  Records one node's viewer count in a room and answers the room's total over live nodes; keeps
  the highest total ever and per minute (the room's peak, for its figures).
  KEYS[1] room online (hash: node id -> "<count>:<expires at ms>")
  KEYS[2] room online peaks (hash: "all" and "m:<minute>" -> the highest total)
  ARGV[1] node id
  ARGV[2] count on that node
  ARGV[3] now (ms)
  ARGV[4] ttl (ms): a node that stops reporting drops out after this long
  Output: total viewers across nodes whose report has not expired.
]]
local now = tonumber(ARGV[3])
local ttl = tonumber(ARGV[4])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. ':' .. (now + ttl))
local total = 0
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  local count, expires = string.match(all[i + 1], '^(%d+):(%d+)$')
  if tonumber(expires) <= now then
    redis.call('HDEL', KEYS[1], all[i])
  else
    total = total + tonumber(count)
  end
end
redis.call('PEXPIRE', KEYS[1], ttl * 2)
for _, field in ipairs({ 'all', 'm:' .. math.floor(now / 60000) }) do
  if total > tonumber(redis.call('HGET', KEYS[2], field) or '0') then redis.call('HSET', KEYS[2], field, total) end
end
return total
