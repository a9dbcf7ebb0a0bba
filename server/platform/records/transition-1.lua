--[[
  A record's move from one status to another (platform/records/transition.lua).
  KEYS[1] the record (hash)
  ARGV[1] the field that holds the status
  ARGV[2] allowed current values, comma-separated
  ARGV[3] new value
  ARGV[4..] more fields to set: field, value, ...
  Output: the hash as HGETALL returns it when moved; an empty list when it did not exist or was
          in another status.
]]
--- @include "platform/records/transition"
return transition(KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV, 4)
