--[[
  A client's request id makes an action idempotent: the first answer is kept (KEYS named
  `requestKey` by the including script) for `requestTtl` ms and every repeat gets it.
  firstAnswer() -> nil (new request), true (it succeeded before), or the refusal code.
]]
local function firstAnswer(requestKey)
  local first = redis.call('GET', requestKey)
  if not first then return nil end
  if first == 'ok' then return true end
  return tonumber(string.sub(first, 2))
end

local function refuseRequest(requestKey, requestTtl, code)
  redis.call('SET', requestKey, '!' .. code, 'PX', requestTtl)
  return { code }
end

local function acceptRequest(requestKey, requestTtl)
  redis.call('SET', requestKey, 'ok', 'PX', requestTtl)
end

local function withHash(out, key)
  for _, v in ipairs(redis.call('HGETALL', key)) do out[#out + 1] = v end
  return out
end
