import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HaloSeed, Rec } from './types';

/** The demo universe's Halo side (dev/demo-data/halo.json). */
export function loadDemoHaloSeed(): HaloSeed {
  return JSON.parse(readFileSync(join(__dirname, '..', 'demo-data', 'halo.json'), 'utf8')) as HaloSeed;
}

/** Lookups every seed needs (statuses, outcomes, ticket types, agents), taken from the demo seed. */
function demoLookups(): Pick<HaloSeed, 'statuses' | 'outcomes' | 'ticketTypes' | 'agents' | 'teams' | 'scripts'> {
  const demo = loadDemoHaloSeed();
  return {
    statuses: demo.statuses,
    outcomes: demo.outcomes,
    ticketTypes: demo.ticketTypes,
    agents: demo.agents,
    teams: demo.teams,
    scripts: demo.scripts,
  };
}

/**
 * A large seed for benchmarks and paging tests: `clients` companies, each with a main site, a General User and
 * `usersPerClient` contacts. Ids are predictable: client c (1-based) is 1000 + c, its site 2000 + c.
 */
export function generateHaloSeed(options: { clients: number; usersPerClient: number }): HaloSeed {
  const clients: Rec[] = [];
  const sites: Rec[] = [];
  const users: Rec[] = [];
  let userId = 10_000;
  for (let c = 1; c <= options.clients; c++) {
    const clientId = 1000 + c;
    const siteId = 2000 + c;
    const domain = `client${c}.example`;
    clients.push({ id: clientId, name: `Client ${c}`, inactive: false, website: `https://www.${domain}/` });
    sites.push({ id: siteId, name: 'Main', client_id: clientId, inactive: false });
    users.push({ id: userId++, name: 'General User', site_id: siteId, isgeneraluser: true, inactive: false });
    for (let u = 1; u <= options.usersPerClient; u++) {
      users.push({
        id: userId++,
        name: `User ${c}-${u}`,
        firstname: 'User',
        surname: `${c}-${u}`,
        emailaddress: `user${u}@${domain}`,
        site_id: siteId,
        inactive: false,
      });
    }
  }
  return { ...demoLookups(), clients, sites, users };
}
