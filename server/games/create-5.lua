--[[
  Creates a game only if its id is free, with what stays hidden until its time (a draw's seed, a
  red packet's shares) and the due work that draws or ends it, in one step: a game is never seen
  without them, nor they or its due work left without it.
  KEYS[1] the game (hash)  KEYS[2] its seed (string)  KEYS[3] its shares (list)  KEYS[4] the room's games (set)
  KEYS[5] schedule (zset: due time -> member)
  ARGV[1] seed ('' for none)  ARGV[2] due time (0: nothing due)  ARGV[3] schedule member
  ARGV[4] number of shares n  ARGV[5..4+n] shares  ARGV[5+n] the game's id  ARGV[6+n..] field, value, ...
  Output: 1 created, 0 the id was taken
]]
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
if ARGV[1] ~= '' then redis.call('SET', KEYS[2], ARGV[1]) end
local n = tonumber(ARGV[4])
for i = 5, 4 + n do redis.call('RPUSH', KEYS[3], ARGV[i]) end
for i = 6 + n, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
redis.call('SADD', KEYS[4], ARGV[5 + n])
if tonumber(ARGV[2]) > 0 then redis.call('ZADD', KEYS[5], ARGV[2], ARGV[3]) end
return 1
