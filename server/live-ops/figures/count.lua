--[[
  A room's business figures, counted inside the decisions they count (live-ops/figures): every
  field goes up in total and in the minute of `now` (`t:<minute>:<field>`, the timeline).
  Keys the callers pass: figures (hash), reach (hash: sub -> the funnel stages they reached, bits).
]]
local function count(figures, now, field, n)
  redis.call('HINCRBY', figures, field, n)
  redis.call('HINCRBY', figures, 't:' .. math.floor(now / 60000) .. ':' .. field, n)
end

local funnelBit = { tapped = 1, reserved = 2, paid = 4 }

-- A viewer reached a funnel stage: counted once per viewer and stage.
local function reach(reachKey, figures, now, user, stage)
  local bit = funnelBit[stage]
  local have = tonumber(redis.call('HGET', reachKey, user) or '0')
  if math.floor(have / bit) % 2 == 1 then return end
  redis.call('HSET', reachKey, user, have + bit)
  count(figures, now, 'funnel:' .. stage, 1)
end

-- An order entered `state`: counted; reserved and paid add its amount to GMV, and to the funnel.
local function countOrder(figures, reachKey, now, user, state, amount)
  count(figures, now, 'orders:' .. state, 1)
  if state == 'reserved' or state == 'paid' or state == 'refunded' then count(figures, now, 'gmv:' .. state, tonumber(amount)) end
  if state == 'reserved' or state == 'paid' then reach(reachKey, figures, now, user, state) end
end
