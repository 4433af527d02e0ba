import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import { pathKind } from './pathKind';
import type { GraphStats } from './stats';

/** Sits after the RetryHandler, so every attempt that goes over the wire is counted. */
export class CountingMiddleware implements Middleware {
  private next: Middleware | undefined;

  constructor(
    private readonly stats: GraphStats,
    private readonly tenantId: string,
  ) {}

  async execute(context: Context): Promise<void> {
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    this.stats.record(this.tenantId, pathKind(url));
    await this.next!.execute(context);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}
