--[[
  A room's business figures, counted inside the decisions they count: `field` goes up by `n` in
  the figures hash, in total and in the minute of `now` (`t:<minute>:<field>`, the timeline).
]]
local function count(figures, now, field, n)
  redis.call('HINCRBY', figures, field, n)
  redis.call('HINCRBY', figures, 't:' .. math.floor(now / 60000) .. ':' .. field, n)
end
