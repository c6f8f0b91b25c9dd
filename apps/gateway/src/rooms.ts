// Room names. Sites cannot contain ':' (the protocol's SiteName pattern), so a room of one
// site can never be spelled by another site's user or role.

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
