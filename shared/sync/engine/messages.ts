import { z } from 'zod';
import { tenantId } from '../../config/integration/common';

export const SYNC_MODES = ['match', 'plan', 'apply'] as const;

/** One `tenant-sync` queue message: sync this tenant within that run. */
export const tenantSyncMessageSchema = z
  .object({
    runId: z.string().trim().min(1).max(200),
    tenantId,
    mode: z.enum(SYNC_MODES),
  })
  .strict();

export type TenantSyncMessage = z.output<typeof tenantSyncMessageSchema>;

/** `POST /api/tenant-sync` (and the CLI): every customer tenant or one, in the configured mode or another. */
export const startRequestSchema = z
  .object({
    tenantId: tenantId.optional(),
    mode: z.enum(SYNC_MODES).optional(),
  })
  .strict();

export type StartRequest = z.output<typeof startRequestSchema>;
