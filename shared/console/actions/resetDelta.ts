import type { z } from 'zod';
import type { Container } from '../../app/container';
import { resetEntraDelta, resetRequestSchema } from '../../sync/entra/reset';
import type { ActionResult } from '../http';

/** `{tenantId, how: "clear" | "latest"}`: the same body as `POST /api/sync/entra/reset`. */
export const resetDeltaBodySchema = resetRequestSchema;

/** Resets an Entra ID connection's delta (Halo's "Reset Deltas") with the use case the sync's own route and CLI use. */
export async function resetDelta(deps: Container, body: z.output<typeof resetDeltaBodySchema>): Promise<ActionResult> {
  const result = await resetEntraDelta(deps, body);
  if (result.ok) return { ok: true, status: 200, message: result.message, tenantId: result.tenantId, how: result.how };
  const status = { unknownConnection: 404, noDirectoryCopy: 409, graphFailed: 502 } as const;
  return { ok: false, status: status[result.reason], error: result.message };
}
