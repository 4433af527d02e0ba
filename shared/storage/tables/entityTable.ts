import type { TableClient, TableEntityResult, TransactionAction } from '@azure/data-tables';
import { type StorageConnection, tableClient } from '../connection';
import { ConcurrencyError, statusOf } from '../errors';

export type EntityProperties = Record<string, string | number | boolean | undefined>;

export interface StoredEntity {
  readonly partitionKey: string;
  readonly rowKey: string;
  readonly etag: string;
  readonly [property: string]: unknown;
}

export interface ListOptions {
  /** An OData filter, ANDed with the partition; build it with `odata` from @azure/data-tables to escape values. */
  readonly filter?: string;
  /** At most this many rows (in key order). */
  readonly top?: number;
  /** Only these properties (the keys and ETag always come back). */
  readonly select?: readonly string[];
}

/** One operation of a transaction: all in one partition, applied together or not at all. */
export type TableAction =
  /** Insert-if-absent: an existing row fails the transaction with ConcurrencyError('already-exists'). */
  | { readonly kind: 'create'; readonly rowKey: string; readonly properties: EntityProperties }
  | { readonly kind: 'upsert'; readonly rowKey: string; readonly properties: EntityProperties }
  /** Replace only at this ETag: a changed row fails the transaction with ConcurrencyError('stale-etag'). */
  | { readonly kind: 'update'; readonly rowKey: string; readonly properties: EntityProperties; readonly etag: string }
  | { readonly kind: 'delete'; readonly rowKey: string };

/** A table client with the few operations the repositories need, mapping conflicts to ConcurrencyError. */
export interface EntityTable {
  readonly name: string;
  readonly client: TableClient;
  get(partitionKey: string, rowKey: string): Promise<StoredEntity | undefined>;
  /** Insert-if-absent; an existing row gives ConcurrencyError('already-exists'). Returns the new ETag. */
  insert(partitionKey: string, rowKey: string, properties: EntityProperties): Promise<string>;
  /** Unconditional insert-or-replace. Returns the new ETag. */
  upsert(partitionKey: string, rowKey: string, properties: EntityProperties): Promise<string>;
  /** Replace (or merge) only if the row still has this ETag; otherwise ConcurrencyError. Returns the new ETag. */
  update(
    partitionKey: string,
    rowKey: string,
    properties: EntityProperties,
    etag: string,
    mode?: 'Replace' | 'Merge',
  ): Promise<string>;
  /** Deletes the row (only at this ETag when given). Returns false when there was no row. */
  delete(partitionKey: string, rowKey: string, etag?: string): Promise<boolean>;
  /** Rows of one partition, or of all partitions when partitionKey is undefined. */
  list(partitionKey: string | undefined, options?: ListOptions): Promise<StoredEntity[]>;
  /** Rows in key order, one service page at a time (stop iterating to stop reading). */
  pages(
    partitionKey: string | undefined,
    options?: Omit<ListOptions, 'top'> & { pageSize?: number },
  ): AsyncIterable<StoredEntity[]>;
  /**
   * Up to 100 actions on rows of one partition, applied atomically (an entity group transaction). Returns the new
   * ETag of each action's row (empty for a delete), in order.
   */
  transact(partitionKey: string, actions: readonly TableAction[]): Promise<string[]>;
}

export function entityTable(connection: StorageConnection, name: string): EntityTable {
  const client = tableClient(connection, name);
  const entity = (partitionKey: string, rowKey: string, properties: EntityProperties) => {
    const out: Record<string, unknown> = { partitionKey, rowKey };
    for (const [key, value] of Object.entries(properties)) if (value !== undefined) out[key] = value;
    return out as { partitionKey: string; rowKey: string };
  };
  const conflict = (error: unknown, partitionKey: string, rowKey: string): never => {
    const status = statusOf(error);
    if (status === 409) throw new ConcurrencyError(name, partitionKey, rowKey, 'already-exists');
    if (status === 412) throw new ConcurrencyError(name, partitionKey, rowKey, 'stale-etag');
    if (status === 404) throw new ConcurrencyError(name, partitionKey, rowKey, 'missing');
    throw error;
  };
  return {
    name,
    client,
    async get(partitionKey, rowKey) {
      try {
        return toStored(await client.getEntity(partitionKey, rowKey));
      } catch (error) {
        if (statusOf(error) === 404) return undefined;
        throw error;
      }
    },
    async insert(partitionKey, rowKey, properties) {
      try {
        return requireEtag(await client.createEntity(entity(partitionKey, rowKey, properties)));
      } catch (error) {
        return conflict(error, partitionKey, rowKey);
      }
    },
    async upsert(partitionKey, rowKey, properties) {
      return requireEtag(await client.upsertEntity(entity(partitionKey, rowKey, properties), 'Replace'));
    },
    async update(partitionKey, rowKey, properties, etag, mode = 'Replace') {
      try {
        return requireEtag(await client.updateEntity(entity(partitionKey, rowKey, properties), mode, { etag }));
      } catch (error) {
        return conflict(error, partitionKey, rowKey);
      }
    },
    async delete(partitionKey, rowKey, etag) {
      try {
        await client.deleteEntity(partitionKey, rowKey, etag ? { etag } : undefined);
        return true;
      } catch (error) {
        if (statusOf(error) === 404) return false;
        return conflict(error, partitionKey, rowKey);
      }
    },
    async list(partitionKey, options = {}) {
      const out: StoredEntity[] = [];
      const top = options.top ?? Number.POSITIVE_INFINITY;
      if (top <= 0) return out;
      // Ask for no more than `top` per page: the service would otherwise send up to 1,000 rows to be thrown away.
      const pages = client
        .listEntities<Record<string, unknown>>({ queryOptions: queryOptions(partitionKey, options) })
        .byPage({ maxPageSize: Math.min(1000, top) });
      for await (const page of pages) {
        for (const row of page) {
          out.push(toStored(row));
          if (out.length >= top) return out;
        }
      }
      return out;
    },
    async *pages(partitionKey, options = {}) {
      const rows = client.listEntities<Record<string, unknown>>({ queryOptions: queryOptions(partitionKey, options) });
      for await (const page of rows.byPage({ maxPageSize: options.pageSize ?? 1000 })) yield page.map(toStored);
    },
    async transact(partitionKey, actions) {
      if (actions.length === 0) return [];
      if (actions.length > 100) throw new RangeError(`a transaction holds at most 100 actions, not ${actions.length}`);
      try {
        const response = await client.submitTransaction(
          actions.map((action) => transactionAction(partitionKey, action)),
        );
        return actions.map((_, i) => response.subResponses[i]?.etag ?? '');
      } catch (error) {
        // The service names the failed action's status; the row is the first one that could have failed that way.
        const status = statusOf(error);
        const culprit =
          actions.find((a) => (status === 409 ? a.kind === 'create' : status === 412 ? a.kind === 'update' : false)) ??
          actions[0]!;
        return conflict(error, partitionKey, culprit.rowKey);
      }
    },
  };

  function transactionAction(partitionKey: string, action: TableAction): TransactionAction {
    switch (action.kind) {
      case 'create':
        return ['create', entity(partitionKey, action.rowKey, action.properties)];
      case 'upsert':
        return ['upsert', entity(partitionKey, action.rowKey, action.properties), 'Replace'];
      case 'update':
        return ['update', entity(partitionKey, action.rowKey, action.properties), 'Replace', { etag: action.etag }];
      case 'delete':
        return ['delete', { partitionKey, rowKey: action.rowKey }];
    }
  }
}

function queryOptions(partitionKey: string | undefined, options: Omit<ListOptions, 'top'>) {
  const clauses: string[] = [];
  if (partitionKey !== undefined) clauses.push(`PartitionKey eq '${partitionKey.replace(/'/g, "''")}'`);
  if (options.filter) clauses.push(`(${options.filter})`);
  const filter = clauses.length > 0 ? clauses.join(' and ') : undefined;
  return { filter, ...(options.select ? { select: [...options.select] } : {}) };
}

function toStored(row: TableEntityResult<Record<string, unknown>>): StoredEntity {
  return { ...row, partitionKey: row.partitionKey ?? '', rowKey: row.rowKey ?? '', etag: row.etag };
}

function requireEtag(response: { etag?: string }): string {
  if (!response.etag) throw new Error('the table service returned no ETag');
  return response.etag;
}
