// Helpers for the script automation integration tests, benchmark and demo: post to the webhook, wait for the
// pipeline (runner queues plus the worker process), read jobs and Halo's side.
import { readFileSync } from 'node:fs';
import { QueueClient } from '@azure/storage-queue';
import type { Stack } from '../../dev/stack';
import { decodeQueueMessage, type SignedJob } from '../../shared/jobs';
import { jobsQueueName } from '../../shared/storage';

export function basicAuth(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

/** POSTs a body to the webhook with the stack's function key and (unless overridden) its Basic credentials. */
export async function postWebhook(
  stack: Stack,
  body: string | object,
  options: { authorization?: string | null } = {},
): Promise<{ status: number; body: unknown }> {
  const authorization =
    options.authorization === undefined
      ? basicAuth(stack.webhook.username, stack.webhook.password)
      : options.authorization;
  const response = await fetch(stack.webhook.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: parsed };
}

/** Drains the runner until `done()` holds (the worker runs outside the runner, so one drain is not enough). */
export async function settle(stack: Stack, done: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await stack.runner.drain({ idleMs: 50, timeoutMs });
    if (await done()) return;
    if (Date.now() > deadline) throw new Error(`the pipeline did not settle within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Every job message waiting on `jobs-<group>`, decoded (peeked: left on the queue). */
export async function peekJobs(stack: Stack, group = 'default'): Promise<SignedJob[]> {
  const queue = new QueueClient(stack.storage.connectionString, jobsQueueName(group));
  const peeked = await queue.peekMessages({ numberOfMessages: 32 });
  return peeked.peekedMessageItems.map((item) => {
    const decoded = decodeQueueMessage(item.messageText);
    if (!decoded.ok) throw new Error(decoded.detail);
    return decoded.value as SignedJob;
  });
}

export async function clearJobs(stack: Stack, group = 'default'): Promise<void> {
  await new QueueClient(stack.storage.connectionString, jobsQueueName(group)).clearMessages();
}

/** The stack's worker private key (PEM), read from the worker process's config: tests sign results with it. */
export function workerPrivateKey(stack: Stack): string {
  if (!stack.worker) throw new Error('the stack has no worker process');
  const config = JSON.parse(readFileSync(stack.worker.configPath, 'utf8')) as { privateKeyFile: string };
  return readFileSync(config.privateKeyFile, 'utf8');
}

/** Halo simulator requests matching a method and a path (case-insensitive, exact after /api). */
export function haloRequests(stack: Stack, method: string, path: string): number {
  const wanted = `/api${path}`.toLowerCase();
  return stack.halo.requests().filter((r) => r.method === method && r.path.toLowerCase() === wanted).length;
}

export function ticket(stack: Stack, id: number): Record<string, unknown> {
  const found = stack.halo.store.tables.tickets.get(id);
  if (!found) throw new Error(`no ticket ${id}`);
  return found;
}

export function actionsOf(stack: Stack, ticketId: number): Record<string, unknown>[] {
  return stack.halo.store.actions.filter((a) => a.ticket_id === ticketId);
}
