import type { Context, Middleware } from '@microsoft/microsoft-graph-client';

/**
 * Sends a GET once more when its connection broke before an answer came (a keep-alive connection the other side
 * had just closed, a reset on the way). The SDK's RetryHandler only retries answers (429/503/504), and a GET is
 * safe to repeat; anything that writes is never sent twice here.
 */
export class ConnectionResetRetry implements Middleware {
  private next: Middleware | undefined;

  async execute(context: Context): Promise<void> {
    const method = (context.options?.method ?? 'GET').toUpperCase();
    try {
      await this.next!.execute(context);
    } catch (error) {
      if (method !== 'GET' || !isConnectionLost(error)) throw error;
      await this.next!.execute(context);
    }
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}

function isConnectionLost(error: unknown): boolean {
  const e = error as { message?: unknown; cause?: { code?: unknown } } | null;
  const code = typeof e?.cause?.code === 'string' ? e.cause.code : '';
  return (
    e?.message === 'fetch failed' ||
    ['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED'].includes(code) ||
    /socket hang up|other side closed/i.test(String(e?.message ?? ''))
  );
}
