import type { Stack } from '../../dev/stack';

/** The demo's support mailbox, and a sender the demo knows. */
export const SUPPORT = 'support@bridgemsp.com';
export const KNOWN_SENDER = 'megan.bowen@contoso.com';

export async function scanNow(stack: Stack, timeoutMs = 60_000): Promise<void> {
  await stack.runner.runTimer('mailScanTimer');
  await stack.runner.drain({ timeoutMs });
}

export async function ticketFor(stack: Stack, subject: string, timeoutMs = 30_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    for (const ticket of stack.halo.store.tables.tickets.values()) if (ticket.summary === subject) return;
    if (performance.now() > deadline) throw new Error(`no ticket for "${subject}" after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** Notification → ticket latency of `count` mails, one at a time (each settled before the next). */
export async function mailLatencies(stack: Stack, label: string, count: number): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < count; i++) {
    const subject = `${label} ${i}`;
    const started = performance.now();
    stack.graph.deliverMail(SUPPORT, { from: KNOWN_SENDER, subject });
    await ticketFor(stack, subject);
    latencies.push(performance.now() - started);
    await stack.graph.settled();
    await stack.runner.drain({ timeoutMs: 60_000 });
  }
  return latencies;
}
