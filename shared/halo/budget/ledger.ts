import { z } from 'zod';
import type { Logger } from '../../runtime/logger';
import type { BudgetLedger } from './gate';
import { type BudgetState, EMPTY_BUDGET } from './window';

/** A JSON document under an ETag: Table storage's halobudget row (shared/storage/tables/haloBudget.ts). */
export interface JsonDocumentStore {
  read(key: string): Promise<{ json: string | undefined; etag: string | undefined }>;
  write(key: string, json: string, etag: string | undefined): Promise<boolean>;
}

const stateSchema = z.object({
  grants: z.array(
    z.tuple([z.number(), z.number(), z.enum(['i', 'b']), z.number().int().positive(), z.string().optional()]),
  ),
  blockedUntil: z.number(),
  interactiveUntil: z.number(),
});

/** Compact on the wire: `[at, end, 'i' | 'b', count, owner?]` per grant (a row holds a window's worth: dozens). */
function encode(state: BudgetState): string {
  return JSON.stringify({
    grants: state.grants.map((g) => [
      g.at,
      g.end,
      g.lane === 'interactive' ? 'i' : 'b',
      g.count,
      ...(g.owner ? [g.owner] : []),
    ]),
    blockedUntil: state.blockedUntil,
    interactiveUntil: state.interactiveUntil,
  });
}

function decode(json: string): BudgetState | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  const parsed = stateSchema.safeParse(value);
  if (!parsed.success) return undefined;
  return {
    grants: parsed.data.grants.map(([at, end, lane, count, owner]) => ({
      at,
      end,
      lane: lane === 'i' ? ('interactive' as const) : ('bulk' as const),
      count,
      ...(owner ? { owner } : {}),
    })),
    blockedUntil: parsed.data.blockedUntil,
    interactiveUntil: parsed.data.interactiveUntil,
  };
}

/**
 * The budget of one Halo instance (`key`: its URL and tenant) in a shared document. A row that cannot be read as
 * a budget (hand-edited, an older shape) is treated as empty and replaced on the next write, with a warning.
 */
export function documentLedger(store: JsonDocumentStore, key: string, log: Logger): BudgetLedger {
  return {
    async read() {
      const { json, etag } = await store.read(key);
      if (json === undefined) return { state: EMPTY_BUDGET, version: etag };
      const state = decode(json);
      if (!state) log.warn('halo budget row is unreadable; starting it afresh', { key });
      return { state: state ?? EMPTY_BUDGET, version: etag };
    },
    write: (state, version) => store.write(key, encode(state), version),
  };
}

/** The budget row of one Halo instance: every process that talks to the same Halo must use the same key. */
export function haloBudgetKey(baseUrl: string, tenant: string | undefined): string {
  return `${baseUrl.replace(/\/+$/, '').toLowerCase()}|${tenant ?? ''}`;
}
