import { z } from 'zod';

/** What every sync shares (contacts, Entra ID, Intune): the run lease that keeps apply runs one at a time. */
export const syncEngineConfigSchema = z
  .object({
    /**
     * An apply run holds its sync's lease while its sources are processed, renewing it as it goes. A run that
     * renewed nothing for this long (its instance died) may be taken over by the next start.
     */
    leaseSeconds: z
      .number()
      .int({ message: 'must be a whole number of seconds' })
      .min(10, { message: 'must be at least 10 seconds' })
      .max(3600, { message: 'must be at most 3600 seconds (one hour)' })
      .default(300),
  })
  .strict();

export type SyncEngineConfig = z.infer<typeof syncEngineConfigSchema>;
