import { z } from 'zod';
import type { Container } from '../../app/container';
import { type Checkpoint, ConcurrencyError } from '../../storage';
import { checkpointKeys } from './keys';

/**
 * One apply run per sync at a time: a lease row (a checkpoint, written only with its ETag) names the run that
 * holds it and until when. The run's source messages renew it as they work; a run that renewed nothing for
 * `syncEngine.leaseSeconds` (its instance died) may be taken over by the next start. The row is never deleted:
 * it also says who held it last, so a run that lost it can tell that another run has written since.
 */
export interface LeaseHolder {
  readonly runId: string;
  readonly acquiredAt: string;
  readonly renewedAt: string;
  readonly expiresAt: string;
  /** Set when the run finished (or could not start) and gave the lease up. */
  readonly releasedAt?: string;
}

export type LeaseDeps = Pick<Container, 'stores' | 'now' | 'config'>;

export type AcquireResult =
  | { readonly acquired: true; readonly holder: LeaseHolder; readonly tookOverFrom?: LeaseHolder }
  | { readonly acquired: false; readonly holder: LeaseHolder };

export type RenewResult =
  | { readonly held: true; readonly holder: LeaseHolder }
  /** Another run has held the lease since this one last did: this run must not write again. */
  | { readonly held: false; readonly holder: LeaseHolder | undefined };

const holderSchema = z.object({
  runId: z.string().min(1),
  acquiredAt: z.string(),
  renewedAt: z.string(),
  expiresAt: z.string(),
  releasedAt: z.string().optional(),
});

/** Whether the holder still holds the lease at `now` (not released, not expired). */
export function isLeaseActive(holder: LeaseHolder | undefined, now: Date): holder is LeaseHolder {
  return holder !== undefined && holder.releasedAt === undefined && Date.parse(holder.expiresAt) > now.getTime();
}

export async function readLease(
  deps: Pick<LeaseDeps, 'stores'>,
  storageName: string,
): Promise<LeaseHolder | undefined> {
  return parse(await deps.stores.checkpoints.get(...keyOf(storageName)));
}

/** Takes the lease for `runId` if it is free, released or expired; otherwise says who holds it. */
export function acquireLease(deps: LeaseDeps, storageName: string, runId: string): Promise<AcquireResult> {
  return updateLease<AcquireResult>(deps, storageName, (current, now) => {
    if (isLeaseActive(current, now) && current.runId !== runId) return { result: { acquired: false, holder: current } };
    const holder = fresh(deps, runId, now, current?.runId === runId ? current.acquiredAt : undefined);
    const tookOverFrom = current && current.runId !== runId && current.releasedAt === undefined ? current : undefined;
    return { write: holder, result: { acquired: true, holder, ...(tookOverFrom ? { tookOverFrom } : {}) } };
  });
}

/**
 * Renews the lease of `runId`, even after it expired, as long as no other run has held it since. A concurrent
 * renewal by another source of the same run counts as renewed. Writes only when less than two thirds of the
 * lease is left, so that checking before every write batch costs one read.
 */
export function renewLease(deps: LeaseDeps, storageName: string, runId: string): Promise<RenewResult> {
  return updateLease<RenewResult>(deps, storageName, (current, now) => {
    if (current?.runId !== runId || current.releasedAt !== undefined)
      return { result: { held: false, holder: current } };
    if (Date.parse(current.expiresAt) - now.getTime() > (leaseMs(deps) * 2) / 3) {
      return { result: { held: true, holder: current } };
    }
    const holder = fresh(deps, runId, now, current.acquiredAt);
    return { write: holder, result: { held: true, holder } };
  });
}

/** Gives the lease up (a finished run, or a start that did not go ahead); a no-op when another run holds it. */
export function releaseLease(deps: LeaseDeps, storageName: string, runId: string): Promise<void> {
  return updateLease<undefined>(deps, storageName, (current, now) => {
    if (current?.runId !== runId || current.releasedAt !== undefined) return { result: undefined };
    const at = now.toISOString();
    return { write: { ...current, expiresAt: at, releasedAt: at }, result: undefined };
  });
}

/**
 * Read, decide, write with the row's ETag (insert-if-absent for a first lease). Another instance writing between
 * our read and write makes us read and decide again (a few times at most: writers are few).
 */
async function updateLease<T>(
  deps: LeaseDeps,
  storageName: string,
  decide: (current: LeaseHolder | undefined, now: Date) => { write?: LeaseHolder; result: T },
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const row = await deps.stores.checkpoints.get(...keyOf(storageName));
    const step = decide(parse(row), deps.now());
    if (!step.write) return step.result;
    try {
      await deps.stores.checkpoints.put(...keyOf(storageName), JSON.stringify(step.write), row?.etag ?? null);
      return step.result;
    } catch (error) {
      if (!(error instanceof ConcurrencyError) || attempt >= 2) throw error;
    }
  }
}

export function leaseMs(deps: Pick<LeaseDeps, 'config'>): number {
  return deps.config.syncEngine.leaseSeconds * 1000;
}

function keyOf(storageName: string): [string, string] {
  const { scope, key } = checkpointKeys(storageName).lease;
  return [scope, key];
}

function fresh(deps: Pick<LeaseDeps, 'config'>, runId: string, now: Date, acquiredAt?: string): LeaseHolder {
  return {
    runId,
    acquiredAt: acquiredAt ?? now.toISOString(),
    renewedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + leaseMs(deps)).toISOString(),
  };
}

function parse(row: Checkpoint | undefined): LeaseHolder | undefined {
  if (!row) return undefined;
  try {
    const parsed = holderSchema.safeParse(JSON.parse(row.value));
    // An unreadable row counts as a lease nobody holds (it is overwritten with its ETag, never silently lost).
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Thrown before a write when the run no longer holds its lease: another run has taken over. */
export class LeaseLostError extends Error {
  constructor(
    readonly runId: string,
    readonly holder: LeaseHolder | undefined,
  ) {
    super(
      holder
        ? `run ${runId} no longer holds the lease: run ${holder.runId} has held it since ${holder.acquiredAt}`
        : `run ${runId} no longer holds the lease`,
    );
    this.name = 'LeaseLostError';
  }
}

/** A lease held while one source is processed: renewed in the background, checked before every write. */
export interface HeldLease {
  /** Renews if due; throws LeaseLostError when another run has held the lease since. */
  check(): Promise<void>;
  stop(): void;
}

export async function holdLease(
  deps: LeaseDeps & Pick<Container, 'log'>,
  storageName: string,
  runId: string,
): Promise<HeldLease> {
  let lost: LeaseHolder | undefined | null = null;
  const check = async () => {
    if (lost !== null) throw new LeaseLostError(runId, lost);
    const renewed = await renewLease(deps, storageName, runId);
    if (!renewed.held) {
      lost = renewed.holder;
      throw new LeaseLostError(runId, lost);
    }
  };
  await check();
  const beat = setInterval(
    () => {
      check().catch((error) => {
        if (!(error instanceof LeaseLostError)) deps.log.warn('could not renew the run lease', { runId, error });
      });
    },
    Math.min(leaseMs(deps) / 3, 60_000),
  );
  beat.unref();
  return { check, stop: () => clearInterval(beat) };
}
