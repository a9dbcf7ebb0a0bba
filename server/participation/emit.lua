--[[
  A participation event (participation/): something a decision says about a viewer, appended to the
  outbox of its room's slot in the decision's own step, so no event is lost to a node dying after
  the decision and none is made for a decision that did not happen. The JSON is written field by
  field, in one order, on Redis and on the embedded store alike.
  `id` makes it idempotent downstream: the same decision names the same event.
]]
local function participated(outbox, id, type, now, room, user, detail)
  redis.call('RPUSH', outbox, '{"id":' .. cjson.encode(id) .. ',"type":"' .. type .. '","at":' .. string.format('%.0f', now)
    .. ',"room":' .. cjson.encode(room) .. ',"user":' .. cjson.encode(user) .. ',"detail":' .. (detail or '{}') .. '}')
end
