import { z } from 'zod';
import type { TenantGraphClient } from '../../../graph';
import type { HaloClient } from '../../../halo';
import { haloInt, haloOptionalText, haloText, optionalHaloInt } from '../../common/haloFields';
import { parseRows } from '../haloSnapshot';
import type { EntraSku, HaloLicenceRecord } from './types';

const skuSchema = z.looseObject({
  skuId: z.string().min(1),
  skuPartNumber: z.string().min(1),
  appliesTo: z.string().nullish(),
  consumedUnits: z.number().nullish(),
  prepaidUnits: z.looseObject({ enabled: z.number().nullish() }).nullish(),
});

const licenceRowSchema = z.looseObject({
  id: haloInt,
  name: haloText,
  client_id: haloInt,
  product_sku: haloOptionalText,
  vendor_product_sku: haloOptionalText,
  count: optionalHaloInt,
  licences_in_use: optionalHaloInt,
});

const softwareRowSchema = z.looseObject({ user_id: optionalHaloInt, licence_id: optionalHaloInt });

/** The tenant's subscriptions (one request; `LicenseAssignment.Read.All` is the least privilege that reads them). */
export async function readSkus(graph: TenantGraphClient, problems: string[]): Promise<EntraSku[]> {
  const rows = await graph.getAll('/subscribedSkus', {
    context: { operation: 'subscribedSkus', permission: 'LicenseAssignment.Read.All' },
  });
  const out: EntraSku[] = [];
  rows.forEach((row, i) => {
    const parsed = skuSchema.safeParse(row);
    if (!parsed.success) {
      problems.push(`subscribedSkus[${i}] skipped: ${parsed.error.issues[0]?.message ?? 'unreadable'}`);
      return;
    }
    out.push({
      skuId: parsed.data.skuId.toLowerCase(),
      skuPartNumber: parsed.data.skuPartNumber,
      appliesTo: parsed.data.appliesTo ?? 'User',
      enabledUnits: parsed.data.prepaidUnits?.enabled ?? 0,
      consumedUnits: parsed.data.consumedUnits ?? 0,
    });
  });
  return out;
}

/** The client's software licences (a paged list) and, per licence, the users linked to it (`/AssetSoftware`). */
export async function readHaloLicences(
  halo: HaloClient,
  clientId: number,
  options: { links: boolean },
  skipped: string[],
): Promise<{ licences: HaloLicenceRecord[]; links: Record<string, number[]> }> {
  const rows = await halo.list('/SoftwareLicence', {
    key: 'licences',
    query: { client_id: clientId, includeinactive: true },
  });
  const licences = parseRows(licenceRowSchema, rows, 'GET /SoftwareLicence', skipped)
    .filter((l) => l.client_id === clientId)
    .map(
      (l): HaloLicenceRecord => ({
        id: l.id,
        name: l.name,
        client_id: l.client_id,
        ...(l.product_sku ? { product_sku: l.product_sku } : {}),
        ...(l.vendor_product_sku ? { vendor_product_sku: l.vendor_product_sku.toLowerCase() } : {}),
        ...(l.count !== undefined ? { count: l.count } : {}),
        ...(l.licences_in_use !== undefined ? { licences_in_use: l.licences_in_use } : {}),
      }),
    );
  const links: Record<string, number[]> = {};
  if (!options.links) return { licences, links };
  // Only the licences this sync keeps (they carry Entra's sku id): one list each.
  for (const licence of licences.filter((l) => l.vendor_product_sku)) {
    const software = await halo.list('/AssetSoftware', { key: 'software', query: { licence_id: licence.id } });
    for (const row of parseRows(softwareRowSchema, software, 'GET /AssetSoftware', skipped)) {
      if (!row.user_id || row.user_id <= 0) continue;
      const list = links[String(row.user_id)] ?? [];
      if (!list.includes(licence.id)) list.push(licence.id);
      links[String(row.user_id)] = list;
    }
  }
  return { licences, links };
}
