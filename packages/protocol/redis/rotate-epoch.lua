-- Postbode: start a new epoch because this node saw history lost (e.g. a failover to a replica
-- that lacks entries this node had read), unless another node already did.
-- KEYS[1] the stream, KEYS[2] its meta hash; ARGV[1] the epoch the node saw lost, ARGV[2] a new one
-- Returns the current epoch.
local epoch = redis.call('HGET', KEYS[2], 'epoch')
if epoch == ARGV[1] or not epoch then
  local added = 0
  if redis.call('EXISTS', KEYS[1]) == 1 then
    local info = redis.call('XINFO', 'STREAM', KEYS[1])
    for i = 1, #info, 2 do
      if info[i] == 'entries-added' then added = info[i + 1] end
    end
  end
  redis.call('DEL', KEYS[2])
  redis.call('HSET', KEYS[2], 'epoch', ARGV[2], 'added', added)
  return ARGV[2]
end
return epoch
