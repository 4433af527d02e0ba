import { z } from 'zod';

export const nonEmpty = z.string().trim().min(1);
export const tenantId = nonEmpty.regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, {
  message: 'must be a tenant id (GUID)',
});
/** Six-field NCRONTAB (`sec min hour day month weekday`), as Azure Functions timers use. */
export const ncrontab = nonEmpty.refine((v) => v.split(/\s+/).length === 6, {
  message: 'must be a six-field NCRONTAB expression: "sec min hour day month weekday", e.g. "0 0 2 * * *"',
});
export const workerGroup = nonEmpty.regex(/^[a-z0-9](?:[a-z0-9]|-(?!-)){0,56}[a-z0-9]$/, {
  message: 'must be 2-58 lowercase letters, digits or single dashes (it becomes the queue name jobs-<group>)',
});
export const haloId = z.number().int().positive();
