--[[
  A room's business figures, counted inside the decisions they count (live-ops/figures): every
  field goes up in total and in the minute of `now` (`t:<minute>:<field>`, the timeline).
  Keys the callers pass: figures (hash), reach (hash: `tap:<sub>` -> 1 for those who tapped, and
  <sub> -> the later funnel stages they reached, as bits).
  A script deciding a batch calls deferCounts() first and flushCounts() before it returns: its
  counts are added up and written once per field (a storm's batch of 200 taps writes `funnel:tapped`
  once, not 200 times), in the same step.
]]
local deferred = nil

local function deferCounts() deferred = {} end

local function count(figures, now, field, n)
  local minuteField = 't:' .. math.floor(now / 60000) .. ':' .. field
  if not deferred then
    redis.call('HINCRBY', figures, field, n)
    redis.call('HINCRBY', figures, minuteField, n)
    return
  end
  local pending = deferred[figures]
  if not pending then pending = {}; deferred[figures] = pending end
  pending[field] = (pending[field] or 0) + n
  pending[minuteField] = (pending[minuteField] or 0) + n
end

local function flushCounts()
  for figures, pending in pairs(deferred or {}) do
    for field, n in pairs(pending) do
      if n ~= 0 then redis.call('HINCRBY', figures, field, n) end
    end
  end
  deferred = nil
end

local funnelBit = { reserved = 2, paid = 4 }

-- A viewer reached a funnel stage: counted once per viewer and stage. Tapping, which every tap of a
-- storm does, costs one command (HSETNX); the rarer stages share one field per viewer.
local function reach(reachKey, figures, now, user, stage)
  if stage == 'tapped' then
    if redis.call('HSETNX', reachKey, 'tap:' .. user, 1) == 1 then count(figures, now, 'funnel:tapped', 1) end
    return
  end
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
