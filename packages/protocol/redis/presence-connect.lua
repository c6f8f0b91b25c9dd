-- Presence (contract 7): the first socket of a user on a node connected.
-- ARGV: site, user, node, events stream, event id. Returns 1 when the user came online (a
-- transition: one presence.online entry on the events stream, one message on the changes
-- channel), 0 when the user was online already (elsewhere, or within the grace).
-- Times come from Redis's clock, so every node agrees.
local site, user, node, stream, id = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local s = 'postbode:presence:' .. site
redis.call('SADD', s .. ':user:' .. user, node)
redis.call('SADD', s .. ':node:' .. node, user)
redis.call('SADD', 'postbode:presence-node:' .. node .. ':sites', site)
redis.call('ZREM', 'postbode:presence-pending', site .. ' ' .. user)
if redis.call('ZADD', s .. ':online', now, user) == 1 then
  redis.call('XADD', stream, '*', 'action', 'presence.online', 'site', site, 'user', user,
    'id', id, 'ts', tostring(now), 'node', node, 'data', '{"reason":"connected"}')
  redis.call('PUBLISH', 'postbode:presence-changes', cjson.encode({
    site = site, user = user, status = 'online', id = id, ts = now }))
  return 1
end
return 0
