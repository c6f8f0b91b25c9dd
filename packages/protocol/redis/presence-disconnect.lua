-- Presence (contract 7): the last socket of a user on a node closed.
-- ARGV: site, user, node, grace (ms). When the user has no socket on any node, the user stays
-- online through the grace: `postbode:presence-pending` holds the member `<site> <user>` with
-- the time the grace ends, and presence-tick.lua settles it. Returns 1 when the grace started.
local site, user, node, grace = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local s = 'postbode:presence:' .. site
redis.call('SREM', s .. ':user:' .. user, node)
redis.call('SREM', s .. ':node:' .. node, user)
redis.call('ZADD', s .. ':online', 'XX', now, user)
if redis.call('SCARD', s .. ':user:' .. user) == 0 then
  redis.call('ZADD', 'postbode:presence-pending', now + grace, site .. ' ' .. user)
  return 1
end
return 0
