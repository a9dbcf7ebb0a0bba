--[[
  Moves a record (a campaign's `status`, an order's `state`) from one of the allowed values to
  another, so that of racing callers (two hosts, two nodes' clocks, a payment and its deadline)
  exactly one wins. `fields` are more field, value pairs to set, from index `from` on.
  Answers the hash as HGETALL returns it when moved; an empty list when it did not exist or was
  in another status.
]]
local function transition(key, field, allowedCsv, to, fields, from)
  local status = redis.call('HGET', key, field)
  if not status then return {} end
  local allowed = false
  for s in string.gmatch(allowedCsv, '[^,]+') do
    if s == status then allowed = true end
  end
  if not allowed then return {} end
  redis.call('HSET', key, field, to)
  for i = from, #fields, 2 do redis.call('HSET', key, fields[i], fields[i + 1]) end
  return redis.call('HGETALL', key)
end
