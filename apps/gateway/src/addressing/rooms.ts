import type { AnyEnvelope, NormalizedClaims } from '@postbode/protocol';

// Where sites are kept apart: the rooms a socket joins (from its token) and the rooms an
// envelope is delivered to (from its audience) are spelled here, side by side. Sites cannot
// contain ':' (the protocol's SiteName pattern), so a room of one site can never be spelled by
// another site's user or role.

/** The room of every socket of a site. */
export function siteRoom(site: string): string {
  return `s:${site}`;
}

/** The room of every socket of one user of a site (all their tabs and devices). */
export function userRoom(site: string, userId: string): string {
  return `u:${site}:${userId}`;
}

/** The room of every socket whose token has a role, on a site. */
export function roleRoom(site: string, role: string): string {
  return `r:${site}:${role}`;
}

/** The rooms a socket with these claims joins: its site, its user, each of its roles. */
export function roomsOfClaims(claims: NormalizedClaims): string[] {
  const { site, sub, roles } = claims;
  if (roles.length === 0) return [siteRoom(site), userRoom(site, sub)];
  return [siteRoom(site), userRoom(site, sub), ...roles.map((role) => roleRoom(site, role))];
}

/** The rooms an envelope is delivered to. `all` covers every user and role room of the site. */
export function roomsOfAudience(envelope: Pick<AnyEnvelope, 'to' | 'site'>): string[] {
  const { to, site } = envelope;
  if (to.all === true) return [siteRoom(site)];
  const rooms: string[] = [];
  for (const user of to.users ?? []) rooms.push(userRoom(site, user));
  for (const role of to.roles ?? []) rooms.push(roleRoom(site, role));
  return rooms;
}
