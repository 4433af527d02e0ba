import { z } from 'zod';

/** Halo ids are integers; some fields arrive as doubles (e.g. Users.site_id), so whole-number doubles pass too. */
export const haloId = z.number().int();
export const optionalText = z.string().nullish();
export const optionalFlag = z.boolean().nullish();
export const optionalId = haloId.nullish();

export const customFieldSchema = z.looseObject({
  id: haloId,
  name: optionalText,
  value: z.unknown().optional(),
  display: z.unknown().optional(),
});

export type HaloCustomField = z.infer<typeof customFieldSchema>;

/** A customfield write: Halo matches by id and leaves the others alone. */
export interface CustomFieldValue {
  id: number;
  value: unknown;
}
