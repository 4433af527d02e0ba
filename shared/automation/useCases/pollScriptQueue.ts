import type { Container } from '../../app/container';
import type { ScriptRunResult } from '../../halo';
import { ConcurrencyError } from '../../storage';
import { jobIdFor } from '../buildJob';
import { scriptQueueCompletion, scriptQueueRecordToRunRequest } from '../haloScriptQueue';
import { type EnqueueDeps, type EnqueueOutcome, enqueueJob } from './enqueueJob';
import { CHECKPOINTS, DEDUPE } from './scopes';

export type PollOutcome =
  | { readonly kind: 'covered'; readonly detail: string }
  | {
      readonly kind: 'polled';
      readonly outstanding: number;
      /** Records that already have a job (seen by an earlier poll). */
      readonly known: number;
      readonly jobs: readonly EnqueueOutcome[];
      /** Records that could not be mapped to a job: marked processed with success false. */
      readonly refused: readonly { readonly id: number; readonly reason: string }[];
    };

/**
 * Polls Halo's PowerShell queue once: outstanding records → run requests (Halo's script definitions are read once,
 * and only when there is a new record) → jobs, one per record id whatever the number of polls. A record that cannot
 * be mapped is marked processed with success false and the reason, never left outstanding.
 *
 * Polls are coalesced: a poll that started after `requestedAt` already covers the request (webhook bursts cost one
 * poll, not one each). Halo requests: 1 when nothing is new; 2 plus one write when records were refused.
 */
export async function pollScriptQueue(
  deps: EnqueueDeps & Pick<Container, 'config'>,
  requestedAt: Date,
): Promise<PollOutcome> {
  const started = await claimPoll(deps, requestedAt);
  if (!started.ok) return { kind: 'covered', detail: started.detail };
  try {
    const outstanding = await deps.halo.getOutstandingScriptRuns();
    const fresh = [];
    for (const record of outstanding) {
      if (record.processed === true) continue;
      const claim = await deps.stores.dedupe.get(DEDUPE.job, jobIdFor(`haloScriptQueue:${record.id}`));
      if (claim?.status === 'completed') continue;
      fresh.push(record);
    }
    const jobs: EnqueueOutcome[] = [];
    const refused: { id: number; reason: string }[] = [];
    if (fresh.length > 0) {
      const scripts = await deps.halo.getPowerShellScripts();
      for (const record of fresh) {
        const mapped = scriptQueueRecordToRunRequest(record, scripts, deps.config.haloScriptQueue);
        if (mapped.ok) jobs.push(await enqueueJob(deps, mapped.request));
        else refused.push({ id: record.id, reason: mapped.reason });
      }
    }
    if (refused.length > 0) {
      deps.log.warn('Halo script queue records refused', { refused });
      const completions: ScriptRunResult[] = refused.flatMap((r) =>
        scriptQueueCompletion({ recordId: r.id, success: false, message: `halo-bridge refused it: ${r.reason}` }),
      );
      await deps.halo.markScriptRunsProcessed(completions);
    }
    return { kind: 'polled', outstanding: outstanding.length, known: outstanding.length - fresh.length, jobs, refused };
  } catch (error) {
    await started.undo();
    throw error;
  }
}

type PollClaim = { ok: true; undo(): Promise<void> } | { ok: false; detail: string };

/** Records the poll's start; a poll that started after the request (or wins the race to start now) covers it. */
async function claimPoll(deps: Pick<Container, 'stores' | 'now'>, requestedAt: Date): Promise<PollClaim> {
  const { checkpoints } = deps.stores;
  const previous = await checkpoints.get(CHECKPOINTS.scope, CHECKPOINTS.scriptQueuePoll);
  if (previous && Date.parse(previous.value) >= requestedAt.getTime()) {
    return { ok: false, detail: `a poll started at ${previous.value}, after the request` };
  }
  try {
    const mine = await checkpoints.put(
      CHECKPOINTS.scope,
      CHECKPOINTS.scriptQueuePoll,
      deps.now().toISOString(),
      previous?.etag ?? null,
    );
    return {
      ok: true,
      // A failed poll must not cover the requests that asked for it: put the previous start back.
      undo: async () => {
        const restore = previous
          ? checkpoints.put(CHECKPOINTS.scope, CHECKPOINTS.scriptQueuePoll, previous.value, mine.etag)
          : checkpoints.delete(CHECKPOINTS.scope, CHECKPOINTS.scriptQueuePoll);
        await restore.catch(() => undefined);
      },
    };
  } catch (error) {
    if (error instanceof ConcurrencyError) return { ok: false, detail: 'another poll started meanwhile' };
    throw error;
  }
}
