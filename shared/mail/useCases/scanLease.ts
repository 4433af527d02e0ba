import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Container } from '../../app/container';
import { type Checkpoint, ConcurrencyError } from '../../storage';

/** Checkpoint scope of the per-mailbox scan leases (key: the mailbox id). */
export const SCAN_LEASE_SCOPE = 'mail-scan-lease';
/** A lease nobody renewed for this long belongs to a scan that died; the next scan takes it over. */
export const SCAN_LEASE_TTL_MS = 3 * 60_000;
const ATTEMPTS = 5;

const leaseSchema = z.object({
  holder: z.string(),
  expiresAt: z.string(),
  /** Another trigger came while the holder was scanning: the holder scans again (queues a scan) when it is done. */
  rerun: z.boolean().default(false),
});
type LeaseValue = z.infer<typeof leaseSchema>;

/** Thrown when a scan finds its lease taken over (it ran past the lease without renewing): it must stop. */
export class ScanLeaseLostError extends Error {
  constructor(mailboxId: string) {
    super(`the scan lease of mailbox ${mailboxId} was taken over by another scan`);
    this.name = 'ScanLeaseLostError';
  }
}

export interface ScanLease {
  /** Renews the lease when a third of it has passed; throws ScanLeaseLostError when another scan holds it. */
  keep(): Promise<void>;
  /** Gives it back. True when another trigger asked for a scan meanwhile: the caller queues one. */
  release(): Promise<boolean>;
}

type Deps = Pick<Container, 'stores' | 'now'>;

/**
 * One scan per mailbox at a time: the lease is a checkpoint row written with ETags, held until released or until
 * it expires unrenewed (a crashed scan). A trigger that finds it held does not scan; it marks the lease so that the
 * holder scans once more when it is done (nothing that arrived meanwhile waits for the next timer).
 */
export async function acquireScanLease(
  deps: Deps,
  mailboxId: string,
  ttlMs: number = SCAN_LEASE_TTL_MS,
): Promise<ScanLease | 'busy'> {
  const checkpoints = deps.stores.checkpoints;
  const holder = randomUUID();
  const expiry = () => new Date(deps.now().getTime() + ttlMs).toISOString();
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const row = await checkpoints.get(SCAN_LEASE_SCOPE, mailboxId);
    const current = read(row);
    try {
      if (!current || isFree(current, deps.now())) {
        const taken = await write(deps, mailboxId, { holder, expiresAt: expiry(), rerun: false }, row?.etag ?? null);
        return heldLease(deps, mailboxId, holder, ttlMs, taken);
      }
      if (!current.rerun) await write(deps, mailboxId, { ...current, rerun: true }, row!.etag);
      return 'busy';
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error;
    }
  }
  return 'busy';
}

function heldLease(deps: Deps, mailboxId: string, holder: string, ttlMs: number, taken: Checkpoint): ScanLease {
  let renewedAt = deps.now().getTime();
  const update = async (change: (value: LeaseValue) => LeaseValue): Promise<LeaseValue | undefined> => {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const row = attempt === 0 ? taken : await deps.stores.checkpoints.get(SCAN_LEASE_SCOPE, mailboxId);
      const current = read(row);
      if (!row || current?.holder !== holder) return undefined;
      try {
        taken = await write(deps, mailboxId, change(current), row.etag);
        return current;
      } catch (error) {
        if (!(error instanceof ConcurrencyError)) throw error;
      }
    }
    throw new Error(`the scan lease of mailbox ${mailboxId} kept changing; giving up on it`);
  };
  return {
    async keep() {
      const now = deps.now().getTime();
      if (now - renewedAt < ttlMs / 3) return;
      const kept = await update((value) => ({ ...value, expiresAt: new Date(now + ttlMs).toISOString() }));
      if (!kept) throw new ScanLeaseLostError(mailboxId);
      renewedAt = now;
    },
    async release() {
      const released = await update(() => ({ holder: '', expiresAt: new Date(0).toISOString(), rerun: false }));
      return released?.rerun ?? false;
    },
  };
}

function read(row: Checkpoint | undefined): LeaseValue | undefined {
  if (!row) return undefined;
  try {
    const parsed = leaseSchema.safeParse(JSON.parse(row.value));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function isFree(lease: LeaseValue, now: Date): boolean {
  return lease.holder === '' || !(Date.parse(lease.expiresAt) > now.getTime());
}

function write(deps: Deps, mailboxId: string, value: LeaseValue, etag: string | null): Promise<Checkpoint> {
  return deps.stores.checkpoints.put(SCAN_LEASE_SCOPE, mailboxId, JSON.stringify(value), etag);
}
