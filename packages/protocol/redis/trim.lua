-- Postbode: trim the stream to the retention window and the entry cap, recording the last
-- removed id and how many were removed, so that a node starting later knows exactly which
-- cursors are still recoverable.
-- KEYS[1] the stream, KEYS[2] its meta hash
-- ARGV[1] remove entries added before this time (ms); ARGV[2] keep at most this many entries
-- Returns the number of entries removed.
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local cut = nil
local old = redis.call('XREVRANGE', KEYS[1], '(' .. ARGV[1] .. '-0', '-', 'COUNT', 1)
if #old > 0 then cut = old[1][1] end
local excess = redis.call('XLEN', KEYS[1]) - tonumber(ARGV[2])
if excess > 0 then
  local over = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', math.min(excess, 10000))
  local id = over[#over][1]
  if cut == nil then cut = id
  else
    local cm, cs = string.match(cut, '^(%d+)-(%d+)$')
    local im, is = string.match(id, '^(%d+)-(%d+)$')
    if tonumber(im) > tonumber(cm) or (im == cm and tonumber(is) > tonumber(cs)) then cut = id end
  end
end
if cut == nil then return 0 end
local ms, seq = string.match(cut, '^(%d+)-(%d+)$')
local removed = redis.call('XTRIM', KEYS[1], 'MINID', ms .. '-' .. string.format('%.0f', tonumber(seq) + 1))
if removed > 0 then
  redis.call('HSET', KEYS[2], 'removed', cut)
  redis.call('HINCRBY', KEYS[2], 'removedCount', removed)
end
return removed
