import { z } from 'zod';
import { customFieldSchema, haloId, optionalFlag, optionalId, optionalText } from './common';

export const azureTenantLinkSchema = z.looseObject({
  id: optionalId,
  client_id: optionalId,
  azure_tenant_id: optionalText,
  azure_tenant_name: optionalText,
  azure_tenant_domain: optionalText,
  details_id: optionalId,
  details_name: optionalText,
});

export const clientSchema = z.looseObject({
  id: haloId,
  name: optionalText,
  inactive: optionalFlag,
  website: optionalText,
  toplevel_id: optionalId,
  main_site_id: optionalId,
  azure_tenants: z.array(azureTenantLinkSchema).nullish(),
  customfields: z.array(customFieldSchema).nullish(),
});

export const siteSchema = z.looseObject({
  id: haloId,
  name: optionalText,
  client_id: z.number().nullish(),
  client_name: optionalText,
  inactive: optionalFlag,
  azuretenantid: optionalText,
  emaildomain: optionalText,
  isinvoicesite: optionalFlag,
});

/** A Halo client (customer company); named so to leave `HaloClient` to the API client. */
export type HaloClientRecord = z.infer<typeof clientSchema>;
export type HaloSite = z.infer<typeof siteSchema>;
export type HaloAzureTenantLink = z.infer<typeof azureTenantLinkSchema>;

export interface AzureTenantLinkDraft {
  azure_tenant_id: string;
  azure_tenant_name?: string;
  azure_tenant_domain?: string;
  details_name?: string;
}

export interface ClientPatch {
  id: number;
  name?: string;
  website?: string;
  inactive?: boolean;
  /** Replaces the client's tenant links: send every link the client keeps. */
  azure_tenants?: AzureTenantLinkDraft[];
  customfields?: { id: number; value: unknown }[];
}
