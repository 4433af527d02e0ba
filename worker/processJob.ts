import type { KeyObject } from 'node:crypto';
import {
  decodeQueueMessage,
  type Job,
  type JobResult,
  type SignedResult,
  signResult,
  verifySignedJob,
} from '../shared/jobs';
import type { Logger } from '../shared/runtime/logger';
import type { Interpreters } from './invocation';
import { planInvocation } from './invocation';
import type { JobStateStore } from './jobState';
import { runProcessTree } from './processTree';
import type { ScriptGuard } from './scriptGuard';
import { resolveScript } from './scriptResolver';
import { announceStarted, NOTICE_GRACE_MS, type SendNotice, settleWithin } from './startNotice';

export interface JobRunnerSettings {
  readonly workerId: string;
  readonly workerGroup: string;
  readonly scriptFolder: string;
  readonly scripts: Readonly<Record<string, { sha256?: string; powershell: 'pwsh' | 'windowsPowerShell' }>>;
  readonly requirePins: boolean;
  readonly cloudPublicKeys: readonly string[];
  readonly interpreters: Interpreters;
  readonly outputCapBytes: number;
  readonly clockSkewSeconds: number;
}

export interface JobRunnerDeps {
  readonly settings: JobRunnerSettings;
  readonly privateKey: KeyObject;
  readonly state: JobStateStore;
  readonly logger: Logger;
  readonly platform: NodeJS.Platform;
  readonly baseEnv: Readonly<Record<string, string | undefined>>;
  readonly bootstrapPath: string;
  readonly now: () => Date;
  /** Values masked in any output, besides the job's secret parameters (e.g. the worker's own credentials). */
  readonly extraSecrets?: readonly string[];
  /** Lists each running script's process group with the guard that kills them if the worker dies. */
  readonly guard?: Pick<ScriptGuard, 'track' | 'release'>;
}

export interface JobHooks {
  /** Sends the signed `started` notice once the script is about to run (best effort, never delays or fails it). */
  readonly sendNotice?: SendNotice;
}

export interface QueueMessageIn {
  readonly messageId: string;
  readonly messageText: string;
}

/**
 * Everything the worker does with one message from `jobs-<group>`, up to the signed result to send: verify it,
 * check the script, consult the crash journal, announce the start (hooks.sendNotice), run the script, record the
 * outcome. Never throws for a bad job: every refusal becomes a signed `rejected` result, so the ticket learns why.
 */
export async function processJobMessage(
  message: QueueMessageIn,
  deps: JobRunnerDeps,
  hooks: JobHooks = {},
): Promise<SignedResult> {
  const { settings, state } = deps;
  const receivedAt = deps.now();
  const rejected = (jobId: string, reason: string) =>
    sign(deps, {
      jobId,
      status: 'rejected',
      exitCode: null,
      stdout: '',
      stderr: '',
      startedAt: receivedAt,
      finishedAt: receivedAt,
      reason,
    });

  const decoded = decodeQueueMessage(message.messageText);
  if (!decoded.ok) return rejected(`message:${message.messageId}`, `malformed: ${decoded.detail}`);
  const verification = verifySignedJob(decoded.value, {
    publicKeys: settings.cloudPublicKeys,
    now: receivedAt,
    seen: { has: (jobId) => state.isReplay(jobId, message.messageId) },
    clockSkewSeconds: settings.clockSkewSeconds,
  });
  if (!verification.ok) {
    deps.logger.warn('job rejected', { reason: verification.reason, detail: verification.detail });
    const jobId = verification.claimedJobId ?? `message:${message.messageId}`;
    return rejected(jobId, `${verification.reason}: ${verification.detail}`);
  }
  const job = verification.job;
  const log = deps.logger.child({ jobId: job.jobId, script: job.script });
  const previous = state.get(job.jobId);
  if (previous?.phase === 'finished' && previous.result) {
    log.info('job reappeared after its result was recorded: sending the recorded result again');
    return previous.result as SignedResult;
  }
  const record = {
    jobId: job.jobId,
    messageId: message.messageId,
    expiresAt: job.expiresAt,
    startedAt: receivedAt.toISOString(),
  };
  // A verified job is remembered even when refused, so the same signed message cannot be tried again later.
  const refuse = (reason: string) => {
    log.warn('job refused', { reason });
    const result = rejected(job.jobId, reason);
    state.markFinished(record, result);
    return result;
  };
  if (job.workerGroup !== settings.workerGroup) {
    return refuse(`wrongGroup: the job is for group ${job.workerGroup}, this worker is in ${settings.workerGroup}`);
  }
  if (previous?.phase === 'started' && !job.idempotent) {
    log.warn('job reappeared after a crash mid-run; not idempotent, so it is not run again');
    const result = sign(deps, {
      jobId: job.jobId,
      status: 'interrupted',
      exitCode: null,
      stdout: '',
      stderr: '',
      startedAt: new Date(previous.startedAt),
      finishedAt: receivedAt,
      reason:
        'interrupted: the worker stopped while the script was running; the job is not idempotent, so it was not run again',
    });
    state.markFinished({ ...record, startedAt: previous.startedAt }, result);
    return result;
  }

  const script = await resolveScript(job.script, {
    scriptFolder: settings.scriptFolder,
    pins: Object.fromEntries(Object.entries(settings.scripts).map(([key, options]) => [key, options.sha256])),
    requirePins: settings.requirePins,
  });
  if (!script.ok) return refuse(`${script.reason}: ${script.detail}`);
  const plan = planInvocation({
    scriptPath: script.path,
    job,
    interpreters: settings.interpreters,
    powershell: settings.scripts[script.key]?.powershell ?? 'pwsh',
    platform: deps.platform,
    bootstrapPath: deps.bootstrapPath,
    baseEnv: deps.baseEnv,
  });
  if (!plan.ok) return refuse(`unsupportedScript: ${plan.detail}`);

  state.markStarted(record);
  const announced = announceStarted(
    hooks.sendNotice,
    { workerId: settings.workerId, jobId: job.jobId, startedAt: record.startedAt, privateKey: deps.privateKey },
    log,
  );
  log.info('running script', { sha256: script.sha256, passing: job.passing });
  let scriptPid: number | undefined;
  const outcome = await runProcessTree({
    ...plan.invocation,
    cwd: settings.scriptFolder,
    timeoutMs: job.timeoutSeconds * 1000,
    outputCapBytes: settings.outputCapBytes,
    secrets: [...secretValues(job), ...(deps.extraSecrets ?? [])],
    platform: deps.platform,
    onSpawn: (pid) => {
      scriptPid = pid;
      state.setPid(job.jobId, pid);
      deps.guard?.track(pid);
    },
  });
  // Recorded the moment the script is over, before anything is sent: a crash from here on resends this result.
  const finishedAt = deps.now();
  const status = outcome.timedOut ? 'timedOut' : outcome.exitCode === 0 && !outcome.spawnError ? 'succeeded' : 'failed';
  const reason = outcome.spawnError
    ? `interpreterFailed: ${outcome.spawnError}`
    : outcome.timedOut
      ? `timedOut: killed after ${job.timeoutSeconds} s`
      : undefined;
  const result = sign(deps, {
    jobId: job.jobId,
    status,
    exitCode: outcome.exitCode,
    stdout: outcome.stdout,
    stderr: outcome.stderr,
    startedAt: receivedAt,
    finishedAt,
    ...(reason ? { reason } : {}),
  });
  state.markFinished(record, result);
  if (scriptPid !== undefined) deps.guard?.release(scriptPid);
  log.info('script finished', { status, exitCode: outcome.exitCode });
  // Let the notice go out before the result (the cloud copes with either order; this one reads better).
  await settleWithin(announced, NOTICE_GRACE_MS);
  return result;
}

function secretValues(job: Job): string[] {
  return (job.secretParameters ?? [])
    .map((name) => job.parameters[name])
    .filter((value) => value !== null && value !== undefined)
    .map(String);
}

type ResultFields = Omit<JobResult, 'v' | 'workerId' | 'startedAt' | 'finishedAt' | 'reason'> & {
  startedAt: Date;
  finishedAt: Date;
  reason?: string;
};

function sign(deps: JobRunnerDeps, fields: ResultFields): SignedResult {
  const { startedAt, finishedAt, reason, ...rest } = fields;
  return signResult(
    {
      v: 1,
      workerId: deps.settings.workerId,
      ...rest,
      jobId: rest.jobId.slice(0, 200),
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      ...(reason === undefined ? {} : { reason: reason.slice(0, 2000) }),
    },
    deps.privateKey,
  );
}
