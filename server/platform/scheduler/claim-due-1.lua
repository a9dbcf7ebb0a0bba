--[[
  Hands out scheduled work that is due, each item to one caller: it is pushed back by a lease, so
  if the caller dies the item comes due again; the caller removes it when done.
  KEYS[1] schedule (zset: due time -> member)
  ARGV[1] now (ms)   ARGV[2] lease (ms)   ARGV[3] at most this many
  Output: the members handed out
]]
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[3])
local until_ = tonumber(ARGV[1]) + tonumber(ARGV[2])
for _, member in ipairs(due) do redis.call('ZADD', KEYS[1], until_, member) end
return due
