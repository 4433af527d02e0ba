import { z } from 'zod';
import type { StorageConnection } from '../connection';
import { ConcurrencyError } from '../errors';
import { fromJsonProperty, toJsonProperty } from '../json';
import { safeKey } from '../keys';
import { TABLES } from '../names';
import { entityTable } from './entityTable';
import { type Clock, parseRow, systemClock } from './records';

export interface DedupeRecord {
  readonly scope: string;
  readonly key: string;
  readonly status: 'claimed' | 'completed';
  readonly claimedAt: string;
  readonly completedAt: string | undefined;
  /** What the claimer said it was about to do (e.g. the mail's subject). */
  readonly data: unknown;
  /** What it did (e.g. `{ ticketId }`), once completed. */
  readonly result: unknown;
  readonly etag: string;
}

export type ClaimResult =
  | { readonly claimed: true; readonly record: DedupeRecord; readonly tookOver: boolean }
  | { readonly claimed: false; readonly existing: DedupeRecord };

export interface ClaimOptions {
  /**
   * A claim older than this that was never completed (its claimer crashed) may be taken over. Without it, such a
   * claim stays visible as `existing` with status 'claimed' and the caller decides (e.g. check Halo first).
   */
  readonly staleAfterMs?: number;
  /**
   * Take over at once a claim whose data says a write is in doubt (`{inDoubt: …}`, set with `annotate` by a claimer
   * that gave up after Halo's answer was lost): nobody is working on it, and the taker looks before writing.
   */
  readonly takeOverInDoubt?: boolean;
}

/** Claim data of a claimer that stopped with a write in doubt (see ClaimOptions.takeOverInDoubt). */
export function isInDoubt(data: unknown): boolean {
  return data !== null && typeof data === 'object' && 'inDoubt' in data;
}

export interface DedupeStore {
  /** Insert-if-absent: exactly one of any number of concurrent callers gets `claimed: true`. */
  claim(scope: string, key: string, data?: unknown, options?: ClaimOptions): Promise<ClaimResult>;
  /** Marks a claim done with its result (creating the row if it vanished). */
  complete(scope: string, key: string, result: unknown): Promise<DedupeRecord>;
  /** Gives up a claim that was not completed (so that a retry can claim it); false if absent or completed. */
  release(scope: string, key: string): Promise<boolean>;
  /**
   * Replaces the data of a claim that is still held (e.g. "a write to Halo is in doubt since …"), keeping its
   * claim time; false if it was completed, released or changed meanwhile.
   */
  annotate(scope: string, key: string, data: unknown): Promise<boolean>;
  get(scope: string, key: string): Promise<DedupeRecord | undefined>;
}

const rowSchema = z.object({
  scope: z.string(),
  key: z.string(),
  status: z.enum(['claimed', 'completed']),
  claimedAt: z.string(),
  completedAt: z.string().optional(),
  data: z.string().optional(),
  result: z.string().optional(),
  etag: z.string(),
});

/** Idempotency keys: claim, act, complete — so that e.g. "create a ticket for mail X" happens once across crashes. */
export function dedupeStore(connection: StorageConnection, options: { now?: Clock } = {}): DedupeStore {
  const table = entityTable(connection, TABLES.dedupe);
  const now = options.now ?? systemClock;
  const read = async (scope: string, key: string): Promise<DedupeRecord | undefined> => {
    const row = await table.get(safeKey(scope), safeKey(key));
    if (!row) return undefined;
    const parsed = parseRow(rowSchema, row, table.name);
    return {
      ...parsed,
      completedAt: parsed.completedAt,
      data: fromJsonProperty(parsed.data),
      result: fromJsonProperty(parsed.result),
    };
  };
  const claim = async (
    scope: string,
    key: string,
    data?: unknown,
    claimOptions: ClaimOptions = {},
  ): Promise<ClaimResult> => {
    const [pk, rk] = [safeKey(scope), safeKey(key)];
    const claimedAt = now().toISOString();
    const properties = { scope, key, status: 'claimed', claimedAt, data: toJsonProperty(data ?? null) };
    const fresh = (etag: string): DedupeRecord => ({
      scope,
      key,
      status: 'claimed',
      claimedAt,
      completedAt: undefined,
      data: data ?? null,
      result: undefined,
      etag,
    });
    try {
      return { claimed: true, record: fresh(await table.insert(pk, rk, properties)), tookOver: false };
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error;
    }
    const existing = await read(scope, key);
    if (!existing) return claim(scope, key, data, claimOptions);
    const stale =
      existing.status === 'claimed' &&
      ((claimOptions.takeOverInDoubt === true && isInDoubt(existing.data)) ||
        (claimOptions.staleAfterMs !== undefined &&
          now().getTime() - Date.parse(existing.claimedAt) >= claimOptions.staleAfterMs));
    if (!stale) return { claimed: false, existing };
    try {
      return { claimed: true, record: fresh(await table.update(pk, rk, properties, existing.etag)), tookOver: true };
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error;
      const winner = await read(scope, key);
      if (!winner) return claim(scope, key, data, claimOptions);
      return { claimed: false, existing: winner };
    }
  };
  return {
    claim,
    async complete(scope, key, result) {
      const existing = await read(scope, key);
      const completedAt = now().toISOString();
      const record = {
        scope,
        key,
        status: 'completed' as const,
        claimedAt: existing?.claimedAt ?? completedAt,
        completedAt,
        data: existing?.data ?? null,
        result: result ?? null,
      };
      const etag = await table.upsert(safeKey(scope), safeKey(key), {
        ...record,
        data: toJsonProperty(record.data),
        result: toJsonProperty(record.result),
      });
      return { ...record, etag };
    },
    async release(scope, key) {
      const existing = await read(scope, key);
      if (existing?.status !== 'claimed') return false;
      try {
        return await table.delete(safeKey(scope), safeKey(key), existing.etag);
      } catch (error) {
        if (error instanceof ConcurrencyError) return false;
        throw error;
      }
    },
    async annotate(scope, key, data) {
      const existing = await read(scope, key);
      if (existing?.status !== 'claimed') return false;
      try {
        await table.update(
          safeKey(scope),
          safeKey(key),
          { scope, key, status: 'claimed', claimedAt: existing.claimedAt, data: toJsonProperty(data ?? null) },
          existing.etag,
        );
        return true;
      } catch (error) {
        if (error instanceof ConcurrencyError) return false;
        throw error;
      }
    },
    get: read,
  };
}
