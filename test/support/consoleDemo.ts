import { QueueServiceClient } from '@azure/storage-queue';
import { runDemoOnce } from '../../dev/demo/runOnce';
import { type Stack, type StackOptions, startStack } from '../../dev/stack';
import type { QueueFailure } from '../../shared/storage';

/**
 * The demo stack after one pass of every demo flow (as `npm start -- --once` runs it, without exiting): the script
 * job and its output, the mails and their fates, a tenant-sync run with its changes. For the console's tests.
 */
export async function startSettledDemo(options: StackOptions = {}): Promise<Stack> {
  const stack = await startStack({ worker: true, ...options });
  try {
    if (!(await runDemoOnce(stack))) throw new Error('the demo did not settle');
    return stack;
  } catch (error) {
    await stack.stop();
    throw error;
  }
}

/** An HTTP client signed in to the console through the runner's App Service Authentication (cookie session). */
export async function signIn(baseUrl: string, roles?: string): Promise<ConsoleClient> {
  const login = await fetch(
    `${baseUrl}/.auth/login/aad?post_login_redirect_uri=%2Fapi%2Fconsole${roles ? `&roles=${encodeURIComponent(roles)}` : ''}`,
    { redirect: 'manual' },
  );
  const cookie = login.headers.get('set-cookie')?.split(';')[0];
  if (login.status !== 302 || !cookie) throw new Error(`sign-in failed: ${login.status}`);
  return consoleClient(baseUrl, { cookie });
}

export interface ConsoleClient {
  get(path: string, accept?: string): Promise<Response>;
  json<T = unknown>(path: string): Promise<T>;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
}

export function consoleClient(baseUrl: string, headers: Record<string, string> = {}): ConsoleClient {
  return {
    get: (path, accept = 'application/json') =>
      fetch(`${baseUrl}${path}`, { headers: { ...headers, accept }, redirect: 'manual' }),
    async json(path) {
      const response = await fetch(`${baseUrl}${path}`, { headers: { ...headers, accept: 'application/json' } });
      if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as never;
    },
    post: (path, body, extra = { 'x-halo-bridge-console': '1' }) =>
      fetch(`${baseUrl}${path}`, {
        method: 'POST',
        headers: { ...headers, ...extra, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
        redirect: 'manual',
      }),
  };
}

/**
 * A poison message as the Functions host leaves one (a valid message whose last delivery timed out, moved to the
 * `-poison` queue), recorded by the poison sweep as the app does it every minute. Returns its failure record.
 */
export async function plantPoisonMessage(stack: Stack, queue: string, message: unknown): Promise<QueueFailure> {
  const before = new Set((await stack.container.stores.queueFailures.list(queue)).map((f) => f.id));
  const text = Buffer.from(JSON.stringify(message)).toString('base64');
  await QueueServiceClient.fromConnectionString(stack.storage.connectionString)
    .getQueueClient(`${queue}-poison`)
    .sendMessage(text);
  const sweep = await stack.runner.runTimer('queuePoisonSweep');
  if (sweep.outcome !== 'success') throw new Error(`the poison sweep failed: ${sweep.error}`);
  const planted = (await stack.container.stores.queueFailures.list(queue)).filter((f) => !before.has(f.id));
  if (planted.length !== 1) throw new Error(`expected one new failure on ${queue}, got ${planted.length}`);
  return planted[0]!;
}
