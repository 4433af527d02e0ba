export { type BasicCredentials, checkBasicAuth } from './basicAuth';
export { type BuildJobOptions, type BuildJobResult, buildJob, type JobDefaults, jobIdFor } from './buildJob';
export {
  type Evaluation,
  type EvaluationOptions,
  evaluateResult,
  outputMeansSuccess,
  type ScriptRunResult,
} from './evaluateResult';
export {
  type HaloPowerShellScript,
  type QueueRecordResult,
  type ScriptQueueCompletion,
  type ScriptQueueRecord,
  scriptQueueCompletion,
  scriptQueueRecordToRunRequest,
} from './haloScriptQueue';
export {
  type HaloEvent,
  type HaloEventKind,
  type ParseWebhookResult,
  parseHaloWebhook,
  parseQueuedHaloEvent,
  type QueuedHaloEvent,
  summariseForQueue,
} from './haloWebhook';
export { FINISHED_JOB_STATUSES, isFinished, type JobEvent, type JobStatus, nextJobStatus } from './jobStatus';
export {
  type HaloCustomField,
  type ResolveResult,
  requiredReads,
  resolveParameters,
  type TicketData,
} from './parameters';
export { type RouteResult, type RoutingConfig, routeEvent } from './routing';
export { type DueSchedulesResult, dueSchedules, type ScheduleRun, scheduleRunRequest } from './schedules';
export type { Parameters, ParameterValue, RunSource, ScriptRunRequest } from './types';
