import { z } from 'zod';
import { customFieldSchema, haloId, optionalFlag, optionalId, optionalText } from './common';

export const assetFieldSchema = z.looseObject({
  id: haloId,
  name: optionalText,
  value: z.unknown().optional(),
  display: z.unknown().optional(),
});

export const assetSchema = z.looseObject({
  id: haloId,
  inventory_number: optionalText,
  key_field: optionalText,
  client_id: optionalId,
  site_id: optionalId,
  assettype_id: optionalId,
  assettype_name: optionalText,
  status_id: optionalId,
  inactive: optionalFlag,
  intune_id: optionalText,
  azure_userid: optionalText,
  /** Posting `fields` replaces the whole array: re-send every field. */
  fields: z.array(assetFieldSchema).nullish(),
  customfields: z.array(customFieldSchema).nullish(),
});

export const assetTypeSchema = z.looseObject({
  id: haloId,
  name: optionalText,
  assetgroup_id: optionalId,
  keyfield_id: optionalId,
});

export type HaloAsset = z.infer<typeof assetSchema>;
export type HaloAssetType = z.infer<typeof assetTypeSchema>;
