import { z } from 'zod';

/** Zod field types for Halo data, which arrives from the API and from SQL reports in loose shapes. */

/** An integer id, sent as a number or a numeric string (SQL reports), `95.0` included. */
export const haloInt = z
  .union([
    z.number(),
    z
      .string()
      .trim()
      .regex(/^-?\d+(\.0+)?$/, { message: 'must be an integer' }),
  ])
  .transform(Number)
  .pipe(z.number().int({ message: 'must be an integer' }));

export const optionalHaloInt = z
  .union([haloInt, z.literal(''), z.null()])
  .optional()
  .transform((v) => (typeof v === 'number' && v > 0 ? v : undefined));

/** A flag: true, 1, "1", "true", "Y"; anything else (null, 0, "") is false. */
export const haloFlag = z
  .union([z.boolean(), z.number(), z.string(), z.null()])
  .optional()
  .transform((v) => v === true || v === 1 || /^(1|true|y|yes)$/i.test(String(v ?? '').trim()));

/** Text that must be there (null reads as empty). */
export const haloText = z
  .union([z.string(), z.number(), z.null()])
  .optional()
  .transform((v) => (v === null || v === undefined ? '' : String(v).trim()));

/** Text that may not have been read at all: absent stays undefined (never compared), null is empty. */
export const haloOptionalText = z
  .union([z.string(), z.number(), z.null()])
  .optional()
  .transform((v) => (v === undefined ? undefined : v === null ? '' : String(v).trim()));
