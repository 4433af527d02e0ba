import { type Stack, startStack } from '../dev/stack';
import { CONSOLE_BASE } from '../shared/console/assets';
import type { MailLogDraft } from '../shared/storage';
import { type Benchmark, type Figure, percentile } from './types';

const MAIL_ROWS = 10_000;
const JOBS = 1_000;
const ROUNDS = 20;
const DAYS = 30;
const MAILBOX = 'support';
const SENDER_DOMAINS = ['contoso.com', 'fabrikam.com', 'northwind.com', 'tailspintoys.com', 'example.net'];
const SUBJECTS = ['Printer on fire', 'Mailbox full', 'VPN down', 'New starter', 'Password reset', 'Invoice query'];
const FATES = [
  'ticket 7 created',
  'appended to 7',
  'ignored by rule autoReply: out of office',
  'failed: Halo said 503',
];
const SCRIPTS = ['hello.sh', 'leaver.ps1', 'new-starter.ps1', 'mailbox-quota.ps1'];
const STATUSES = ['succeeded', 'succeeded', 'succeeded', 'failed', 'timedOut'];

/** The console's JSON endpoints as an operator uses them, each measured on its own. */
const ENDPOINTS: readonly [string, string][] = [
  ['overview', ''],
  ['mail: newest page', '/mail'],
  ['mail: by sender address', '/mail?from=user17@contoso.com'],
  ['mail: by sender domain', '/mail?from=fabrikam.com'],
  ['mail: by ticket', '/mail?ticket=4242'],
  ['mail: one day', '/mail?since=DAY&until=DAY'],
  ['mail: failed only', '/mail?outcome=failed'],
  ['mail: subject text (one scan budget, 600 rows)', '/mail?q=vpn%20down%20%23123'],
  ['scripts: newest page', '/scripts'],
  ['scripts: failed, one script', '/scripts?status=failed&script=leaver.ps1'],
  ['scripts: by ticket', '/scripts?ticket=5100'],
  ['syncs', '/syncs'],
  ['failures', '/failures'],
];

const PAGES = ['', '/mail', '/scripts', '/syncs', '/failures', '/budget'];

export const benchmarks: Benchmark[] = [
  {
    name: `operator console (${MAIL_ROWS.toLocaleString('en')} mail-log rows, ${JOBS.toLocaleString('en')} jobs, local runner + Azurite)`,
    async run(): Promise<Figure[]> {
      const stack = await startStack({ haloRateLimit: false });
      try {
        const figures: Figure[] = [];
        const now = stack.container.now();
        const seedStarted = performance.now();
        await seedMailLog(stack, now);
        const mailSeeded = performance.now();
        await seedJobs(stack, now);
        figures.push(
          {
            name: `seed ${MAIL_ROWS} mail-log entries (transactions of 100 per day partition, 4 at a time)`,
            value: (mailSeeded - seedStarted) / 1000,
            unit: 's',
          },
          {
            name: `seed ${JOBS} jobs (one transaction each, 8 at a time)`,
            value: (performance.now() - mailSeeded) / 1000,
            unit: 's',
          },
        );

        const cookie = await signIn(stack.runner.url);
        const day = new Date(now.getTime() - 3 * 86_400_000).toISOString().slice(0, 10);
        const all: number[] = [];
        for (const [name, path] of ENDPOINTS) {
          const url = `${stack.runner.url}${CONSOLE_BASE}${path.replace(/DAY/g, day)}`;
          await timed(url, cookie); // warm
          const samples: number[] = [];
          for (let i = 0; i < ROUNDS; i++) samples.push((await timed(url, cookie)).ms);
          all.push(...samples);
          figures.push({ name: `${name} p50`, value: percentile(samples, 50), unit: 'ms' });
          figures.push({ name: `${name} p95`, value: percentile(samples, 95), unit: 'ms' });
        }
        figures.push(
          { name: 'console API, every endpoint above: p50', value: percentile(all, 50), unit: 'ms (goal p95 < 300)' },
          { name: 'console API, every endpoint above: p95', value: percentile(all, 95), unit: 'ms (goal < 300)' },
        );

        let heaviest = 0;
        let foreign = 0;
        for (const path of PAGES) {
          const { bytes, external } = await pageWeight(stack.runner.url, `${CONSOLE_BASE}${path}`, cookie);
          heaviest = Math.max(heaviest, bytes);
          foreign += external;
          figures.push({
            name: `page weight ${path || '/'} (HTML + stylesheet + script + icon)`,
            value: bytes / 1024,
            unit: 'KB',
          });
        }
        figures.push(
          { name: 'heaviest page', value: heaviest / 1024, unit: 'KB (goal < 200)' },
          { name: 'requests to other origins by the pages', value: foreign, unit: '(goal 0)' },
        );
        return figures;
      } finally {
        await stack.stop();
      }
    },
  },
];

/** 10,000 mails over 30 days: 300 senders on five domains, a few subjects, every fate, one in four with a ticket. */
async function seedMailLog(stack: Stack, now: Date): Promise<void> {
  const span = DAYS * 86_400_000;
  const entries: MailLogDraft[] = Array.from({ length: MAIL_ROWS }, (_, i) => {
    const receivedAt = new Date(now.getTime() - Math.floor((i * span) / MAIL_ROWS)).toISOString();
    return {
      mailbox: MAILBOX,
      messageId: `AAMkBench${i.toString(36)}==`,
      fate: FATES[i % FATES.length]!,
      ...(i % 4 === 0 ? { ticketId: 1000 + (i % 5000) } : {}),
      subject: `${SUBJECTS[i % SUBJECTS.length]} #${i}`,
      from: `user${i % 300}@${SENDER_DOMAINS[i % SENDER_DOMAINS.length]}`,
      receivedAt,
      processedAt: receivedAt,
    };
  });
  const chunks: MailLogDraft[][] = [];
  for (let i = 0; i < entries.length; i += 50) chunks.push(entries.slice(i, i + 50));
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < chunks.length) await stack.container.stores.mailLog.importNew(chunks[next++]!);
    }),
  );
}

async function seedJobs(stack: Stack, now: Date): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < JOBS) {
        const i = next++;
        const createdAt = new Date(now.getTime() - i * 60_000).toISOString();
        await stack.container.stores.jobs.create({
          id: `job-bench-${i}`,
          status: STATUSES[i % STATUSES.length]!,
          group: 'default',
          script: SCRIPTS[i % SCRIPTS.length]!,
          ticketId: 5000 + (i % 700),
          source: 'webhook',
          workerId: 'demo-worker',
          output: `${'Working on it…\n'.repeat(40)}done ${i}`,
          createdAt,
          startedAt: createdAt,
          finishedAt: new Date(Date.parse(createdAt) + 1_500).toISOString(),
        });
      }
    }),
  );
}

async function signIn(baseUrl: string): Promise<string> {
  const login = await fetch(`${baseUrl}/.auth/login/aad`, { redirect: 'manual' });
  const cookie = login.headers.get('set-cookie')?.split(';')[0];
  if (!cookie) throw new Error(`the local sign-in answered ${login.status} without a session`);
  return cookie;
}

async function timed(url: string, cookie: string): Promise<{ ms: number }> {
  const started = performance.now();
  const response = await fetch(url, { headers: { cookie, accept: 'application/json' } });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return { ms: performance.now() - started };
}

/** What a browser downloads for a page (HTML and every asset it links), and how many of those are elsewhere. */
async function pageWeight(baseUrl: string, path: string, cookie: string): Promise<{ bytes: number; external: number }> {
  const response = await fetch(`${baseUrl}${path}`, { headers: { cookie, accept: 'text/html' } });
  const html = await response.text();
  let bytes = Buffer.byteLength(html);
  let external = 0;
  for (const match of html.matchAll(/<(?:script|link|img)[^>]+(?:src|href)="([^"]+)"/g)) {
    const target = new URL(match[1]!, baseUrl);
    if (target.origin !== new URL(baseUrl).origin) {
      external++;
      continue;
    }
    bytes += (await (await fetch(target, { headers: { cookie } })).arrayBuffer()).byteLength;
  }
  return { bytes, external };
}
