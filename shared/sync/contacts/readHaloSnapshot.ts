import { z } from 'zod';
import type { TenantSyncConfig } from '../../config/integration/tenants';
import { HaloApiError, type HaloClient, HaloReportError } from '../../halo';
import type { Logger } from '../../runtime/logger';
import { parseWith } from '../common/parseInput';
import { clientsFromList, haloSiteSchema, sitesFromList, usersFromList } from './haloLists';
import { usersFromReportRows, usersReport } from './haloReports';
import type { HaloSnapshot } from './types';

export interface HaloSnapshotRead {
  snapshot: HaloSnapshot;
  /** How contacts were read: one SQL report, or the paged /Users list (reports not allowed or refused). */
  contactsFrom: 'report' | 'list';
  /** Why the report was not used, when it was tried and refused. */
  reportProblem?: string;
}

/**
 * Halo's companies (with their tenant links), sites and contacts, read in bulk once for a whole run: companies and
 * sites as paged lists (few pages), contacts as one SQL report when allowed, else as the paged list.
 */
export async function readHaloSnapshot(
  halo: HaloClient,
  config: TenantSyncConfig,
  log: Logger,
): Promise<HaloSnapshotRead> {
  const rawClients = await halo.list('/Client', {
    key: 'clients',
    query: { includeazuretenants: true, includeinactive: true },
  });
  const rawSites = await halo.list('/Site', { key: 'sites', query: { includeinactive: true } });
  const clients = clientsFromList(rawClients);
  const sites = sitesFromList(rawSites);
  // Contacts of inactive sites still belong to their company.
  const allSites = parseWith(z.array(haloSiteSchema), rawSites, 'Halo /Site list');
  const clientOfSite = new Map(allSites.map((s) => [s.id, s.client_id]));

  if (config.halo.useReports) {
    const report = usersReport(config.contacts.keepActiveField.name);
    try {
      const rows = await halo.runReport(report.sql);
      const users = usersFromReportRows(rows, config.contacts.keepActiveField.name, clientOfSite);
      if (users.length < rows.length) {
        log.warn('tenant sync: contacts without a known site belong to no company and are not synced', {
          contacts: rows.length - users.length,
        });
      }
      return { snapshot: { clients, sites, users }, contactsFrom: 'report' };
    } catch (error) {
      if (!isReportRefused(error)) throw error;
      const reportProblem = (error as Error).message;
      log.warn('tenant sync: the contacts report was refused; reading the paged /Users list instead', {
        problem: reportProblem,
      });
      return { snapshot: { clients, sites, users: await listUsers(halo) }, contactsFrom: 'list', reportProblem };
    }
  }
  return { snapshot: { clients, sites, users: await listUsers(halo) }, contactsFrom: 'list' };
}

async function listUsers(halo: HaloClient) {
  return usersFromList(await halo.list('/Users', { key: 'users', query: { includeinactive: true } }));
}

/** Halo refused the SQL (load_error) or the API application may not run reports (403). */
function isReportRefused(error: unknown): boolean {
  return error instanceof HaloReportError || (error instanceof HaloApiError && error.status === 403);
}
