--[[
  A points ledger line, as JSON with its keys in one fixed order: cjson orders an object's keys by
  Lua 5.1's hash order, which another Lua VM (the embedded store's) cannot reproduce. The order is
  the one Redis's cjson gave these four keys, so lines written before and after read the same.
]]
local function ledgerLine(at, delta, reason, balance)
  return '{"at":' .. at .. ',"balance":' .. balance .. ',"delta":' .. delta .. ',"reason":' .. cjson.encode(reason) .. '}'
end
