-- Postbode: read the stream after a position, and confirm (or start) its epoch, atomically.
-- KEYS[1] the stream, KEYS[2] its meta hash ("<stream>:meta": epoch, added, removed, removedCount)
-- ARGV[1] a new epoch, used when there is none or the stream was recreated
-- ARGV[2] read after this id ("" reads nothing); ARGV[3] at most this many entries
-- Returns { epoch, entries-added, last-generated-id, length, first id or "", entries }.
local epoch = redis.call('HGET', KEYS[2], 'epoch')
local added, last, length, first = 0, '0-0', 0, ''
if redis.call('EXISTS', KEYS[1]) == 1 then
  local info = redis.call('XINFO', 'STREAM', KEYS[1])
  for i = 1, #info, 2 do
    local field = info[i]
    if field == 'entries-added' then added = info[i + 1]
    elseif field == 'last-generated-id' then last = info[i + 1]
    elseif field == 'length' then length = info[i + 1]
    elseif field == 'first-entry' and info[i + 1] then first = info[i + 1][1] end
  end
end
local seen = tonumber(redis.call('HGET', KEYS[2], 'added') or '0')
-- No epoch (Redis lost its data, or first start), or fewer entries ever added than already
-- seen (the stream was deleted and recreated): a new history begins.
if not epoch or added < seen then
  epoch = ARGV[1]
  redis.call('DEL', KEYS[2])
  redis.call('HSET', KEYS[2], 'epoch', epoch, 'added', added)
elseif added > seen then
  redis.call('HSET', KEYS[2], 'added', added)
end
local entries = {}
if ARGV[2] ~= '' then
  entries = redis.call('XRANGE', KEYS[1], '(' .. ARGV[2], '+', 'COUNT', ARGV[3])
end
return { epoch, tostring(added), last, tostring(length), first, entries }
