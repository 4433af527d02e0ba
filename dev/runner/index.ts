export { type EasyAuth, localEasyAuth, SESSION_COOKIE } from './easyAuth';
export { type HostJson, parseHostJson, parseTimeSpan, type QueueSettings, readHostJson } from './hostJson';
export type { HostKeys } from './httpAuth';
export type { FunctionStats, InvocationListener, InvocationRecord, TriggerKind } from './invocations';
export { loadFunctionFiles } from './loadFunctions';
export { decodeMessageText, encodeMessageText, messageValue } from './queueMessage';
export { type DrainOptions, type LocalRunner, type LocalRunnerOptions, startLocalRunner } from './runner';
export { compileSchedule, resolveSchedule } from './schedule';
export { realTimers, type TimerApi } from './timerScheduler';
