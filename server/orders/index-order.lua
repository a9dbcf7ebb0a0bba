--[[
  Every new order is found by id (order rooms: id -> room) and, until the sweep sees it settled, by
  age (unsettled: id by creation time), so a reservation whose node died before adding its settle
  job is still pushed to the mall.
]]
local function indexOrder(orderRoomsKey, unsettledKey, id, room, now)
  redis.call('HSET', orderRoomsKey, id, room)
  redis.call('ZADD', unsettledKey, now, id)
end
