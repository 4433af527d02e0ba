export { acceptWebhook, type WebhookIntake } from './acceptWebhook';
export { type EnqueueOutcome, enqueueJob, failRunRequest, JOB_DEFAULTS } from './enqueueJob';
export { EXPIRY_GRACE_MS, type ExpiryOutcome, expireOverdueJobs } from './expireJobs';
export {
  type HaloEventsMessage,
  haloEventsMessageSchema,
  haloEventsQueue,
  isPollRequest,
  type ScriptQueuePollRequest,
} from './haloEventsQueue';
export { type EventOutcome, handleHaloEvent } from './handleHaloEvent';
export { handleJobResult, jobResultsMessageSchema, type ResultOutcome } from './handleJobResult';
export { handleJobStarted, type StartedOutcome } from './handleJobStarted';
export { type JobSnapshot, readJobSnapshot } from './jobSnapshot';
export { textToNoteHtml } from './noteHtml';
export { haloEventGivenUp, jobResultGivenUp } from './poisoned';
export { type PollOutcome, pollScriptQueue } from './pollScriptQueue';
export { type HaloEventsOutcome, processHaloEventsMessage } from './processHaloEvents';
export { runDueSchedules, type SchedulesOutcome } from './runSchedules';
export { CHECKPOINTS, DEDUPE, DEFAULT_NOTE_OUTCOME } from './scopes';
