-- Presence (contract 7): one node's connects and disconnects, in the order they happened, as
-- one call (a node batches what happens within a few milliseconds).
-- KEYS[1]: the events stream (in Redis Cluster it shares the presence keys' hash tag, so the
--   call goes to their slot). ARGV: node, key prefix (`postbode:presence` by default), event id
--   prefix, grace (ms), then per change three values:
--   `+` (the user's first socket on this node connected) or `-` (their last one closed), site, user.
-- `+`: the user joins the node's set and the user's set of nodes, and any grace of theirs ends;
--      a user not yet online comes online: one presence.online entry on the events stream and one
--      message on the changes channel (a transition).
-- `-`: the user leaves them; a user with no socket left on any node stays online through the
--      grace: `<prefix>-pending` holds `<site> <user>` with the time the grace ends, and
--      presence-tick.lua settles it.
-- Times come from Redis's clock, so every node agrees. Returns { came online, graces started }.
local stream = KEYS[1]
local node, prefix, idPrefix, grace = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local sitesKey = prefix .. '-node:' .. node .. ':sites'
local pending = prefix .. '-pending'
local online, graces = 0, 0
for i = 5, #ARGV, 3 do
  local op, site, user = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  local s = prefix .. ':' .. site
  local member = site .. ' ' .. user
  if op == '+' then
    redis.call('SADD', s .. ':user:' .. user, node)
    redis.call('SADD', s .. ':node:' .. node, user)
    redis.call('SADD', sitesKey, site)
    redis.call('ZREM', pending, member)
    if redis.call('ZADD', s .. ':online', now, user) == 1 then
      online = online + 1
      local id = idPrefix .. ':' .. online
      redis.call('XADD', stream, '*', 'action', 'presence.online', 'site', site, 'user', user,
        'id', id, 'ts', tostring(now), 'node', node, 'data', '{"reason":"connected"}',
        'type', 'presence.online', 'time', tostring(now), 'reason', 'connected')
      redis.call('PUBLISH', 'postbode:presence-changes', cjson.encode({
        site = site, user = user, status = 'online', id = id, ts = now }))
    end
  else
    redis.call('SREM', s .. ':user:' .. user, node)
    redis.call('SREM', s .. ':node:' .. node, user)
    redis.call('ZADD', s .. ':online', 'XX', now, user)
    if redis.call('SCARD', s .. ':user:' .. user) == 0 then
      redis.call('ZADD', pending, now + grace, member)
      graces = graces + 1
    end
  end
end
return { online, graces }
