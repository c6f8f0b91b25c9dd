-- Presence (contract 7): one node's periodic tick. KEYS[1]: the events stream (in Redis Cluster
-- it shares the presence keys' hash tag). ARGV: node, key prefix (`postbode:presence` by
-- default), heartbeat TTL (ms), event id prefix, most graces to settle in one call.
-- 1. The node's heartbeat: `<prefix>-node:<node>` is refreshed with a TTL. When it was
--    gone (first start, or the node was paused past its TTL and reaped, or Redis lost its data),
--    the result's first element is 1: the node must announce its users again (presence-batch.lua, `+`).
-- 2. Reaps nodes whose heartbeat is gone: their users with no socket elsewhere go offline
--    (reason node_expired, lastSeenAt = that node's last heartbeat). At most `limit` of a dead
--    node's users are taken (SPOP) per call, so that a node that held 20,000 users does not
--    block Redis for one long script; the result's fourth element is 1 while some are left,
--    and the caller calls again. Calls of several nodes take disjoint users.
-- 3. Settles graces that ended: a user still without sockets goes offline (reason closed,
--    lastSeenAt = when the last socket closed).
-- A transition is written only by the call whose ZREM removed the user from the online set, so
-- each one is on the events stream exactly once, however many nodes tick at the same time.
-- Returns { fresh, users reaped offline, users settled offline, 1 if dead nodes' users are left }.
local stream = KEYS[1]
local node, prefix, ttl, idPrefix, limit = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4], tonumber(ARGV[5])
local nodesKey, pending = prefix .. '-nodes', prefix .. '-pending'
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local seq = 0

local function offline(site, user, reason, lastSeenAt, expiredNode)
  local s = prefix .. ':' .. site
  if redis.call('ZREM', s .. ':online', user) == 0 then return 0 end
  redis.call('HSET', s .. ':last-seen', user, tostring(lastSeenAt))
  seq = seq + 1
  local id = idPrefix .. ':' .. seq
  local data = { reason = reason, lastSeenAt = lastSeenAt }
  if expiredNode then data.expiredNode = expiredNode end
  redis.call('XADD', stream, '*', 'action', 'presence.offline', 'site', site, 'user', user,
    'id', id, 'ts', tostring(now), 'node', node, 'data', cjson.encode(data),
    'type', 'presence.offline', 'time', tostring(now), 'reason', reason)
  redis.call('PUBLISH', 'postbode:presence-changes', cjson.encode({
    site = site, user = user, status = 'offline', id = id, ts = now, lastSeenAt = lastSeenAt }))
  return 1
end

local fresh = 0
local alive = prefix .. '-node:' .. node
if not redis.call('SET', alive, tostring(now), 'PX', ttl, 'XX') then
  redis.call('SET', alive, tostring(now), 'PX', ttl)
  fresh = 1
end
redis.call('ZADD', nodesKey, now, node)

local reaped, budget, left = 0, limit, 0
local nodes = redis.call('ZRANGE', nodesKey, 0, -1, 'WITHSCORES')
for i = 1, #nodes, 2 do
  local other, heartbeat = nodes[i], tonumber(nodes[i + 1])
  if redis.call('EXISTS', prefix .. '-node:' .. other) == 0 then
    local sitesKey = prefix .. '-node:' .. other .. ':sites'
    for _, site in ipairs(redis.call('SMEMBERS', sitesKey)) do
      local s = prefix .. ':' .. site
      local nodeUsers = s .. ':node:' .. other
      if budget > 0 then
        local users = redis.call('SPOP', nodeUsers, budget)
        budget = budget - #users
        for _, user in ipairs(users) do
          redis.call('SREM', s .. ':user:' .. user, other)
          if redis.call('SCARD', s .. ':user:' .. user) == 0 then
            redis.call('ZREM', pending, site .. ' ' .. user)
            reaped = reaped + offline(site, user, 'node_expired', heartbeat, other)
          end
        end
      end
      -- SPOP deletes the set with its last member.
      if redis.call('EXISTS', nodeUsers) == 0 then redis.call('SREM', sitesKey, site) else left = 1 end
    end
    if redis.call('EXISTS', sitesKey) == 0 then redis.call('ZREM', nodesKey, other) end
  end
end

local settled = 0
local due = redis.call('ZRANGEBYSCORE', pending, '-inf', now, 'LIMIT', 0, limit)
for _, member in ipairs(due) do
  redis.call('ZREM', pending, member)
  local space = string.find(member, ' ', 1, true)
  local site, user = string.sub(member, 1, space - 1), string.sub(member, space + 1)
  local s = prefix .. ':' .. site
  if redis.call('SCARD', s .. ':user:' .. user) == 0 then
    local seen = redis.call('ZSCORE', s .. ':online', user)
    if seen then settled = settled + offline(site, user, 'closed', tonumber(seen)) end
  end
end
return { fresh, reaped, settled, left }
