import { z } from 'zod';
import { haloFlag, haloInt, haloOptionalText, haloText, optionalHaloInt } from '../common/haloFields';
import { parseWith } from '../common/parseInput';
import { dropUndefined } from './contactFields';
import type { HaloClient, HaloSite, HaloSnapshot, HaloUser } from './types';

/**
 * Halo SQL reports for the sync: one request each instead of one list page per 100 rows (Halo allows about
 * 300 requests per 5 minutes). Only columns seen working in the community scripts are used (AREA, SITE,
 * ADDRESSSTORE, USERS); fields a report does not read stay undefined in the snapshot and are never compared.
 * AREA has no column known to hold a company's tenant links or its inactive flag, so read companies with the
 * /Client list (few pages) or add links with `withAzureMappings`.
 */
export const HALO_SYNC_REPORTS = {
  clients: {
    name: 'halo-bridge tenant sync: companies',
    sql:
      'SELECT a.Aarea AS id, a.aareadesc AS name, a.AWebsite AS website, ' +
      '(SELECT MIN(s.Ssitenum) FROM SITE s WHERE s.Sarea = a.Aarea AND s.SIsInvoiceSite = 1) AS main_site_id ' +
      'FROM AREA a',
  },
  sites: {
    name: 'halo-bridge tenant sync: sites',
    sql:
      'SELECT s.Ssitenum AS id, s.Sarea AS client_id, s.SIsInvoiceSite AS is_invoice_site, ad.ASLine1 AS line1 ' +
      'FROM SITE s LEFT JOIN ADDRESSSTORE ad ON ad.ASSiteID = s.Ssitenum',
  },
} as const;

/**
 * The contacts report. One table, no join: a contact's company is its site's (`Usite` → the sites read), which
 * keeps the SQL to the columns seen working. The keep-active custom field is a column named after the field.
 */
export function usersReport(keepActiveField: string): { name: string; sql: string } {
  const column = keepActiveColumn(keepActiveField);
  return {
    name: 'halo-bridge tenant sync: contacts',
    sql:
      'SELECT Uid AS id, Usite AS site_id, Uusername AS name, Uemail AS emailaddress, Uextn AS phonenumber, ' +
      `Umobile AS mobilenumber, UAzureOID AS azureoid, Uinactive AS inactive, ${column} AS keep_active FROM USERS`,
  };
}

/** The SQL column of a custom field; only a plain identifier is accepted (it is spliced into SQL). */
export function keepActiveColumn(fieldName: string): string {
  const column = /^cf/i.test(fieldName) ? fieldName : `CF${fieldName}`;
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,127}$/.test(column)) {
    throw new Error(`custom field name "${fieldName}" is not a plain SQL identifier`);
  }
  return column;
}

const clientRow = z.object({
  id: haloInt,
  name: haloText,
  website: haloOptionalText,
  inactive: haloFlag,
  main_site_id: optionalHaloInt,
});
const siteRow = z.object({
  id: haloInt,
  client_id: haloInt,
  is_invoice_site: haloFlag,
  line1: haloOptionalText,
});
const userRow = z.object({
  id: haloInt,
  client_id: optionalHaloInt,
  site_id: optionalHaloInt,
  name: haloText,
  emailaddress: haloText,
  phonenumber: haloOptionalText,
  mobilenumber: haloOptionalText,
  azureoid: haloText,
  inactive: haloFlag,
  keep_active: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
});

export function clientsFromReportRows(rows: unknown): HaloClient[] {
  return parseWith(z.array(clientRow), rows, HALO_SYNC_REPORTS.clients.name).map((r) =>
    dropUndefined({
      id: r.id,
      name: r.name,
      website: r.website || null,
      inactive: r.inactive,
      main_site_id: r.main_site_id,
      azure_tenants: [],
    }),
  );
}

/** One site per id (a site may have several address rows: the first non-empty line 1 wins). */
export function sitesFromReportRows(rows: unknown): { sites: HaloSite[]; mainSiteByClient: Map<number, number> } {
  const parsed = parseWith(z.array(siteRow), rows, HALO_SYNC_REPORTS.sites.name);
  const byId = new Map<number, HaloSite>();
  const mainSiteByClient = new Map<number, number>();
  for (const row of parsed) {
    const site = byId.get(row.id) ?? { id: row.id, client_id: row.client_id };
    if (!site.line1 && row.line1) site.line1 = row.line1;
    byId.set(row.id, site);
    const main = mainSiteByClient.get(row.client_id);
    if (row.is_invoice_site && (main === undefined || row.id < main)) mainSiteByClient.set(row.client_id, row.id);
  }
  return { sites: [...byId.values()], mainSiteByClient };
}

/**
 * Contacts from report rows. A row without `client_id` takes its site's company from `clientOfSite`; a contact
 * with neither (no site, or a site that was not read) belongs to no company and is left out.
 */
export function usersFromReportRows(
  rows: unknown,
  keepActiveField: string,
  clientOfSite: ReadonlyMap<number, number> = new Map(),
): HaloUser[] {
  const out: HaloUser[] = [];
  for (const r of parseWith(z.array(userRow), rows, 'halo-bridge tenant sync: contacts')) {
    const { keep_active, client_id, ...rest } = r;
    const clientId = client_id ?? (rest.site_id === undefined ? undefined : clientOfSite.get(rest.site_id));
    if (clientId === undefined) continue;
    const value = keep_active === null || keep_active === undefined ? '' : String(keep_active);
    out.push(
      dropUndefined({
        ...rest,
        client_id: clientId,
        customfields: value === '' ? [] : [{ name: keepActiveColumn(keepActiveField), value }],
      }),
    );
  }
  return out;
}

/** The snapshot from report rows; companies come from the /Client list or the companies report. */
export function haloSnapshotFromReports(input: {
  clients: readonly HaloClient[];
  siteRows: unknown;
  userRows: unknown;
  keepActiveField: string;
}): HaloSnapshot {
  const { sites, mainSiteByClient } = sitesFromReportRows(input.siteRows);
  const clientOfSite = new Map(sites.map((s) => [s.id, s.client_id]));
  const clients = input.clients.map((c) => {
    const main = c.main_site_id ?? mainSiteByClient.get(c.id);
    return main === undefined ? { ...c } : { ...c, main_site_id: main };
  });
  return { clients, sites, users: usersFromReportRows(input.userRows, input.keepActiveField, clientOfSite) };
}
