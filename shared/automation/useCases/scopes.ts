/** Keys this flow keeps in the state tables (dedupe scopes, checkpoint scopes and keys). */
export const DEDUPE = {
  /** One per Halo webhook delivery id: a re-sent delivery enqueues nothing. */
  webhookDelivery: 'halo-webhook-delivery',
  /** One per job id: claimed while the job is being queued (data: the job snapshot), completed once it is on its queue. */
  job: 'job',
  /** One per job id: the first conclusive result claims it; its ticket changes happen once. */
  jobResult: 'job-result',
} as const;

export const CHECKPOINTS = {
  scope: 'automation',
  /** When the last poll of Halo's script queue started (ISO 8601). */
  scriptQueuePoll: 'script-queue-poll',
  /** JSON: schedule name → last occurrence run. */
  scheduleLastRuns: 'schedule-last-runs',
} as const;

/** The outcome Halo gives a note the bridge adds when the script's config names none (Halo's private-note outcome). */
export const DEFAULT_NOTE_OUTCOME = 'Private Note';
