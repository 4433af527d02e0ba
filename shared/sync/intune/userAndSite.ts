import type { IntuneSyncConfig } from '../../config/integration/intune';
import { emailKey } from '../common/normalise';
import type { HaloClient, HaloSite, HaloUser } from '../contacts/types';
import { valueText } from './deviceValues';
import type { IntuneDevice } from './types';

export type UserDecision = { userId: number; userName: string; siteId?: number; why: string } | { none: string };

/**
 * The Halo user a device is linked to, among the company's active users: by UPN or email (against the user's email
 * addresses) or by Entra object id (`azureoid`), as configured. Two users with the same value are a tie: nobody.
 */
export function decideUser(
  device: IntuneDevice,
  users: readonly HaloUser[],
  identifier: IntuneSyncConfig['users']['identifier'],
): UserDecision {
  const wanted = deviceUserKeys(device, identifier);
  if (wanted.length === 0) return { none: `the device has no ${identifierLabel(identifier)}` };
  const found = users.filter((u) => !u.inactive && userKeys(u, identifier).some((k) => wanted.includes(k)));
  if (found.length === 1) {
    const user = found[0]!;
    return {
      userId: user.id,
      userName: user.name,
      ...(user.site_id !== undefined ? { siteId: user.site_id } : {}),
      why: `${identifierLabel(identifier)} ${wanted[0]}`,
    };
  }
  if (found.length > 1) {
    const names = found.map((u) => `"${u.name}" (#${u.id})`).join(' and ');
    return { none: `${identifierLabel(identifier)} ${wanted[0]} matches ${found.length} Halo users: ${names}` };
  }
  return { none: `no active Halo user of the company has ${identifierLabel(identifier)} ${wanted[0]}` };
}

function deviceUserKeys(device: IntuneDevice, identifier: IntuneSyncConfig['users']['identifier']): string[] {
  switch (identifier) {
    case 'userPrincipalName':
      return keysOf(valueText(device.values.userPrincipalName));
    case 'email':
      // Intune's emailAddress may hold several addresses.
      return valueText(device.values.emailAddress)
        .split(/[;,\s]+/)
        .map(emailKey)
        .filter((k) => k !== '');
    case 'entraObjectId':
      return keysOf(valueText(device.values.userId));
  }
}

function userKeys(user: HaloUser, identifier: IntuneSyncConfig['users']['identifier']): string[] {
  if (identifier === 'entraObjectId') return keysOf(user.azureoid);
  return [user.emailaddress, user.email2, user.email3].map(emailKey).filter((k) => k !== '');
}

function keysOf(value: string | undefined): string[] {
  const key = emailKey(value);
  return key === '' ? [] : [key];
}

function identifierLabel(identifier: IntuneSyncConfig['users']['identifier']): string {
  return { userPrincipalName: 'UPN', email: 'email address', entraObjectId: 'Entra object id' }[identifier];
}

export type SiteDecision = { siteId: number; why: string } | { none: string };

/**
 * The site of a new asset, or the site an existing asset should move to (undefined: stay). `userSite`: the
 * linked user's site when it belongs to the company, else the default site for new assets; `defaultSite`: the
 * default for new assets, existing assets never move. The default is the configured site or the company's main one.
 */
export function decideSite(input: {
  config: IntuneSyncConfig['sites'];
  client: HaloClient;
  sites: readonly HaloSite[];
  user: UserDecision;
  existingSiteId: number | undefined;
}): SiteDecision | undefined {
  const { config, client, sites, user, existingSiteId } = input;
  const companySites = sites.filter((s) => s.client_id === client.id);
  if (config.allocation === 'userSite' && 'userId' in user && user.siteId !== undefined) {
    if (companySites.some((s) => s.id === user.siteId)) return { siteId: user.siteId, why: `${user.userName}'s site` };
  }
  if (existingSiteId !== undefined) return undefined;
  // A configured default only counts for the company it belongs to (an MSP's other companies use their main site).
  const configured = companySites.some((s) => s.id === config.defaultSiteId) ? config.defaultSiteId : undefined;
  if (configured !== undefined) return { siteId: configured, why: 'the default site' };
  const main = client.main_site_id ?? companySites[0]?.id;
  if (main === undefined) return { none: `company "${client.name}" has no site to put the asset on` };
  return { siteId: main, why: "the company's main site" };
}
