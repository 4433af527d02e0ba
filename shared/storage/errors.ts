/** A write lost a race: the row changed since it was read (stale ETag), or it already exists (insert-if-absent). */
export class ConcurrencyError extends Error {
  override readonly name = 'ConcurrencyError';
  constructor(
    readonly table: string,
    readonly partitionKey: string,
    readonly rowKey: string,
    readonly reason: 'stale-etag' | 'already-exists' | 'missing',
  ) {
    super(`${table}(${partitionKey}, ${rowKey}): concurrent change (${reason})`);
  }
}

/** The HTTP status of an Azure SDK error (RestError), or undefined. Duck-typed: SDK packages bundle their own class. */
export function statusOf(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'statusCode' in error) {
    const status = (error as { statusCode?: unknown }).statusCode;
    return typeof status === 'number' ? status : undefined;
  }
  return undefined;
}
