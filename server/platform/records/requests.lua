--[[
  Idempotent actions. A successful action's record (order, coupon, group, assist) has an id derived
  from the client's request, so the record itself answers a repeat, for as long as it exists. A
  refusal leaves a marker under the request key (scoped by that same derived id) for `requestTtl`
  ms: a repeat within it gets the same refusal; a new attempt takes a new requestId.
]]
local function refusedBefore(requestKey)
  local marker = redis.call('GET', requestKey)
  if marker then return tonumber(string.sub(marker, 2)) end
  return nil
end

local function refuseRequest(requestKey, requestTtl, code)
  redis.call('SET', requestKey, '!' .. code, 'PX', requestTtl)
  return { code }
end

local function withHash(out, key)
  for _, v in ipairs(redis.call('HGETALL', key)) do out[#out + 1] = v end
  return out
end
