import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { Stack } from '../../dev/stack';
import { CONSOLE_ASSETS } from '../../shared/console/assets';
import { encodeClientPrincipal } from '../../shared/console/principal';
import type { BudgetView } from '../../shared/console/views/budget';
import type { FailuresView } from '../../shared/console/views/failures';
import type { JobsView } from '../../shared/console/views/jobs';
import type { MailView } from '../../shared/console/views/mail';
import type { OverviewView } from '../../shared/console/views/overview';
import type { RunDetail, RunsView } from '../../shared/console/views/syncs';
import { QUEUES } from '../../shared/storage';
import { chromiumMissing, launchChromium } from '../support/chromium';
import {
  type ConsoleClient,
  consoleClient,
  plantPoisonMessage,
  signIn,
  startSettledDemo,
} from '../support/consoleDemo';

/** Where the browser test leaves its screenshots (the README's is copied from here to docs/). */
const SCREENSHOTS = join(__dirname, '..', '..', '.dev', 'screenshots');
const PAGE_WEIGHT_LIMIT = 200 * 1024;

describe('operator console on the demo stack (HTTP)', () => {
  let stack: Stack;
  let operator: ConsoleClient;
  let reader: ConsoleClient;
  let anonymous: ConsoleClient;

  before(async () => {
    stack = await startSettledDemo();
    operator = await signIn(stack.runner.url);
    reader = await signIn(stack.runner.url, 'Console.Read');
    anonymous = consoleClient(stack.runner.url);
  });
  after(async () => {
    await stack?.stop();
  });

  describe('who may see it', () => {
    it('refuses an unauthenticated request: 401 with where to sign in, or a redirect for a browser', async () => {
      const json = await anonymous.get('/api/console/mail');
      assert.equal(json.status, 401);
      const body = (await json.json()) as { error: string; signIn: string };
      assert.equal(body.signIn, '/.auth/login/aad?post_login_redirect_uri=%2Fapi%2Fconsole%2Fmail');
      const page = await anonymous.get('/api/console/scripts?status=failed', 'text/html');
      assert.equal(page.status, 302);
      assert.equal(
        page.headers.get('location'),
        '/.auth/login/aad?post_login_redirect_uri=%2Fapi%2Fconsole%2Fscripts%3Fstatus%3Dfailed',
      );
    });

    it('opens nothing with a function key or the master key alone', async () => {
      for (const key of [stack.keys.functionKey, stack.keys.masterKey]) {
        assert.equal(
          (await consoleClient(stack.runner.url, { 'x-functions-key': key }).get('/api/console')).status,
          401,
        );
        assert.equal((await anonymous.get(`/api/console/scripts?code=${encodeURIComponent(key)}`)).status, 401);
      }
    });

    it('ignores a principal header sent by the caller (App Service removes it; so does the local runner)', async () => {
      const forged = encodeClientPrincipal({ id: 'x', name: 'mallory', roles: ['Console.Operate'] });
      const response = await consoleClient(stack.runner.url, { 'x-ms-client-principal': forged }).get('/api/console');
      assert.equal(response.status, 401);
      const me = await operator.json<{ name: string }>('/api/console/me');
      const overridden = await consoleClient(stack.runner.url, {
        cookie: (await cookieOf(stack.runner.url, 'Console.Read')) ?? '',
        'x-ms-client-principal': forged,
      }).json<{ name: string; access: string }>('/api/console/me');
      assert.equal(overridden.access, 'read', 'the session decides, not the header');
      assert.equal(me.name, 'operator@local.demo');
    });

    it('lets a reader read but not operate, and an operator do both', async () => {
      assert.equal((await reader.get('/api/console/syncs')).status, 200);
      const refused = await reader.post('/api/console/actions/syncs/contacts/start', { mode: 'plan' });
      assert.equal(refused.status, 403);
      assert.match(((await refused.json()) as { error: string }).error, /Console\.Operate/);
      const me = await reader.json<{ access: string; roles: string[] }>('/api/console/me');
      assert.deepEqual(me, { ...me, access: 'read', roles: ['Console.Read'] });
    });

    it('refuses an action without the console header (a form posted from another site)', async () => {
      const response = await operator.post('/api/console/actions/syncs/contacts/start', { mode: 'plan' }, {});
      assert.equal(response.status, 403);
      assert.match(((await response.json()) as { error: string }).error, /x-halo-bridge-console/);
    });
  });

  describe('what it shows', () => {
    it('overview: every flow healthy after the demo, tenants with their companies and the unmatched fix', async () => {
      const view = await operator.json<OverviewView>('/api/console');
      const flow = (id: string) => view.flows.find((f) => f.id === id);
      assert.equal(flow('automation')?.health, 'ok');
      assert.equal(flow('automation')?.last?.status, 'succeeded');
      assert.equal(flow('mail:support')?.health, 'ok');
      assert.equal(flow('mail:support')?.last?.status, 'succeeded');
      assert.equal(flow('sync:contacts')?.last?.status, 'succeeded');
      assert.ok(flow('sync:contacts')?.nextRunAt, 'the next scheduled run');
      const tailspin = view.tenants.find((t) => t.displayName === 'Tailspin Toys');
      assert.match(tailspin?.fix ?? '', /Set the website of the Halo company for Tailspin Toys/);
      const contoso = view.tenants.find((t) => t.displayName === 'Contoso Ltd');
      assert.equal(contoso?.company?.url, `${stack.halo.url}/customers?clientid=10`);
      assert.ok(contoso?.lastSuccessAt);
      assert.deepEqual(
        view.workers.map((w) => [w.id, w.group, w.lastJob?.script]),
        [['demo-worker', 'default', 'hello.sh']],
      );
      assert.equal(view.subscriptions.length, 1);
      assert.match(view.config.version, /^[0-9a-f]{12}$/);
    });

    it('mail: each message with its fate and a link to its Halo ticket, searchable', async () => {
      const view = await operator.json<MailView>('/api/console/mail');
      const fates = view.entries.map((e) => [e.subject, e.outcome, e.ticketId]);
      assert.deepEqual(fates.find(([subject]) => subject === 'Printer on fire')?.[1], 'created');
      const reply = view.entries.find((e) => e.subject === 'RE: Mailbox full [ID:1001]');
      assert.equal(reply?.fate, 'appended to 1001');
      assert.equal(reply?.ticketUrl, `${stack.halo.url}/tickets?id=1001`);
      assert.equal(view.mailboxes[0]?.scan.hasDeltaLink, true);
      assert.deepEqual(view.mailboxes[0]?.last24h, { counts: { created: 1, appended: 1 }, more: false });
      const printer = await operator.json<MailView>('/api/console/mail?q=printer&from=contoso.com');
      assert.deepEqual(
        printer.entries.map((e) => e.subject),
        ['Printer on fire'],
      );
      const byTicket = await operator.json<MailView>('/api/console/mail?ticket=1001');
      assert.deepEqual(
        byTicket.entries.map((e) => e.subject),
        ['RE: Mailbox full [ID:1001]'],
      );
    });

    it('scripts: the job, its output tail and the Halo write it caused', async () => {
      const view = await operator.json<JobsView>('/api/console/scripts');
      const job = view.jobs.find((j) => j.script === 'hello.sh');
      assert.equal(job?.status, 'succeeded');
      assert.equal(job?.ticketId, 1001);
      assert.equal(job?.workerId, 'demo-worker');
      assert.match(job?.outputTail ?? '', /Hello Megan Bowen/);
      assert.match(job?.haloWrite ?? '', /Halo queue record marked processed; status \d+/);
      const detail = await operator.json<{ output: string }>(`/api/console/scripts/${job?.id}`);
      assert.match(detail.output, /SUCCESS/);
      assert.equal((await operator.get('/api/console/scripts/job-nope')).status, 404);
    });

    it('syncs: the run, each change with its reason and a link into Halo, and its reports to download', async () => {
      const view = await operator.json<RunsView>('/api/console/syncs');
      // The demo runs the Entra ID sync too: the tenant sync's run is the one with contacts.
      const run = view.runs.find((r) => r.kind === 'contacts');
      assert.equal(run?.status, 'succeeded');
      const detail = await operator.json<RunDetail>(`/api/console/syncs/${run?.kind}/${run?.runId}`);
      const contoso = detail.sources.find((s) => s.displayName === 'Contoso Ltd');
      const created = contoso?.changes.find((c) => c.kind === 'createContact');
      assert.match(created?.reason ?? '', /has no Halo contact/);
      const paired = contoso?.changes.find((c) => c.kind === 'pairContact');
      assert.match(paired?.url ?? '', /\/customers\?mainview=user&userid=\d+$/);
      const tailspin = detail.sources.find((s) => s.displayName === 'Tailspin Toys');
      assert.match(tailspin?.unmatched?.fix ?? '', /tailspintoys\.com/);
      const csv = detail.reports.find((path) => path.endsWith('creates.csv'));
      assert.ok(csv, detail.reports.join(', '));
    });

    it('failures: what a queue gave up on, why, and a preview with the secrets masked', async () => {
      await stack.container.stores.queueFailures.record({
        queue: 'halo-events',
        kind: 'rejected',
        preview: JSON.stringify({ event: 'planted', password: stack.webhook.password, note: stack.webhook.password }),
        reason: `planted for the console test (Basic ${Buffer.from(`u:${stack.webhook.password}`).toString('base64')})`,
      });
      const view = await operator.json<{ failures: { queue: string; preview: string; reason: string }[] }>(
        '/api/console/failures?queue=halo-events',
      );
      const planted = view.failures.find((f) => f.preview.includes('planted'));
      assert.ok(planted, JSON.stringify(view));
      assert.ok(!JSON.stringify(view).includes(stack.webhook.password), 'the webhook password is masked');
      assert.equal((await operator.get('/api/console/failures?queue=nope')).status, 404);
      const overview = await operator.json<OverviewView>('/api/console');
      assert.ok((overview.failures.open['halo-events'] ?? 0) >= 1);
    });

    it('Halo budget: the chart counts every request the Halo client sent, by flow, against the budget', async () => {
      await stack.runner.drain({ idleMs: 300, timeoutMs: 60_000 });
      await stack.container.haloBudget.flushUsage();
      // What Halo saw: every API request but sign-in's (authinfo discovery and the token are not in the budget).
      const sent = stack.halo.requests().filter((r) => r.path.startsWith('/api/') && r.path !== '/api/authinfo').length;
      const view = await operator.json<BudgetView>('/api/console/budget');
      assert.equal(view.available, true);
      assert.ok(sent > 10, `the demo sent requests to Halo (${sent})`);
      assert.equal(view.totals.requests, sent, 'each request the client sent is in the chart, once');
      assert.equal(view.limitPerBucket, stack.container.haloBudget.history.limit.requests);
      assert.equal(view.bucketMinutes, stack.container.haloBudget.history.limit.windowSeconds / 60);
      for (const flow of ['mail', 'automation', 'tenant-sync'])
        assert.ok(view.flows.includes(flow), `${flow} in ${view.flows}`);
      for (const bucket of view.buckets) {
        const byFlow = Object.values(bucket.byFlow).reduce((sum, n) => sum + n, 0);
        assert.equal(bucket.total, byFlow, `bucket ${bucket.start}: the flows add up`);
      }
      assert.equal(
        view.buckets.reduce((sum, b) => sum + b.total, 0),
        sent,
      );
      const page = await (await operator.get('/api/console/budget', 'text/html')).text();
      for (const flow of view.flows) {
        assert.match(page, new RegExp(`<span class="swatch s\\d"></span>${flow}</span>`), `the legend names ${flow}`);
        assert.match(page, new RegExp(`<path class="s\\d" d="M[^"]+"><title>${flow}</title>`), `a bar of ${flow}`);
      }
      assert.match(page, new RegExp(`<p>${sent} request\\(s\\) in 24 h · `), 'the total, in words');
    });

    it("syncs: an operator resets an Entra ID connection's delta (Halo's Reset Deltas); a reader cannot", async () => {
      const view = await operator.json<RunsView>('/api/console/syncs');
      const entra = view.syncs.find((s) => s.kind === 'entra');
      const [connection] = entra?.deltas ?? [];
      assert.ok(connection, 'the demo has an Entra ID connection');
      const path = '/api/console/actions/syncs/entra/reset';
      assert.equal((await reader.post(path, { tenantId: connection.tenantId, how: 'clear' })).status, 403);
      const reset = await operator.post(path, { tenantId: connection.tenantId, how: 'clear' });
      assert.equal(reset.status, 200, await reset.clone().text());
      assert.match(((await reset.json()) as { message: string }).message, /reads the whole directory/);
      const unknown = await operator.post(path, { tenantId: '99999999-0000-4000-8000-000000000000', how: 'clear' });
      assert.equal(unknown.status, 404);
      const bad = await operator.post(path, { tenantId: connection.tenantId, how: 'everything' });
      assert.equal(bad.status, 400);
      const page = await (await operator.get('/api/console/syncs', 'text/html')).text();
      assert.match(page, /action="\/api\/console\/actions\/syncs\/entra\/reset"/);
      const readerPage = await (await reader.get('/api/console/syncs', 'text/html')).text();
      assert.ok(!readerPage.includes('Reset delta'), 'no reset for a reader');
    });

    it('failures: replay sends a poison message back once (operate role only); dismiss keeps it listed', async () => {
      const planted = await plantPoisonMessage(stack, QUEUES.mailboxScan, { mailboxId: 'support', reason: 'timer' });
      const path = `/api/console/actions/failures/${QUEUES.mailboxScan}/${planted.id}`;
      assert.equal((await reader.post(`${path}/replay`, {})).status, 403, 'a reader cannot replay');
      const replayed = await operator.post(`${path}/replay`, {});
      assert.equal(replayed.status, 200, await replayed.clone().text());
      assert.match(((await replayed.json()) as { message: string }).message, /^sent back to mailbox-scan/);
      const again = await operator.post(`${path}/replay`, {});
      assert.equal(again.status, 409, 'once');
      assert.equal((await operator.post(`${path}/dismiss`, {})).status, 409, 'a replayed failure is not dismissed');
      assert.equal((await operator.post(`/api/console/actions/failures/nope/${planted.id}/replay`, {})).status, 404);

      const other = await plantPoisonMessage(stack, QUEUES.mailboxScan, { mailboxId: 'support', reason: 'lifecycle' });
      const bad = await operator.post(`/api/console/actions/failures/${QUEUES.mailboxScan}/${other.id}/dismiss`, {
        note: 5,
      });
      assert.equal(bad.status, 400);
      const dismissed = await operator.post(`/api/console/actions/failures/${QUEUES.mailboxScan}/${other.id}/dismiss`, {
        note: 'known: the mailbox moved',
      });
      assert.equal(dismissed.status, 200);
      const view = await operator.json<FailuresView>(`/api/console/failures?queue=${QUEUES.mailboxScan}`);
      const byId = new Map(view.failures.map((f) => [f.id, f]));
      assert.equal(byId.get(planted.id)?.status, 'replayed');
      assert.ok(byId.get(planted.id)?.replayedAt);
      assert.equal(byId.get(other.id)?.status, 'dismissed');
      assert.equal(byId.get(other.id)?.note, 'known: the mailbox moved');
      const open = await operator.json<FailuresView>('/api/console/failures?status=open');
      assert.ok(!open.failures.some((f) => f.id === planted.id || f.id === other.id), 'neither is open');
    });

    it('says what is wrong with a query, by parameter', async () => {
      const response = await operator.get('/api/console/mail?ticket=abc&since=yesterday&limit=5000');
      assert.equal(response.status, 400);
      const body = (await response.json()) as { problems: string[] };
      assert.deepEqual(body.problems.map((p) => p.split(':')[0]).sort(), ['limit', 'since', 'ticket']);
      assert.equal((await operator.get('/api/console/mail?mailbox=nope')).status, 404);
    });
  });

  describe('in a real browser (Chromium from Debian, driven by playwright-core)', () => {
    const skip = chromiumMissing();
    let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
    let page: Page;
    const problems: string[] = [];
    const foreign: string[] = [];
    const bytes = new Map<string, number>();

    before(async () => {
      if (skip) return;
      mkdirSync(SCREENSHOTS, { recursive: true });
      browser = await launchChromium();
      page = browser.context.pages()[0] ?? (await browser.context.newPage());
      const origin = new URL(stack.runner.url).origin;
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') problems.push(`console: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('request', (request) => {
        if (new URL(request.url()).origin !== origin) foreign.push(request.url());
      });
      page.on('response', async (response) => {
        if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
        const body = await response.body().catch(() => Buffer.alloc(0));
        bytes.set(response.url(), body.length);
      });
      page.on('dialog', (dialog) => void dialog.accept());
    });
    after(async () => {
      await browser?.close();
    });

    /** Opens a console page; returns what it weighed (HTML, stylesheet, script, icon) and takes its screenshot. */
    const visit = async (path: string, shot: string): Promise<number> => {
      bytes.clear();
      const response = await page.goto(`${stack.runner.url}${path}`, { waitUntil: 'load' });
      assert.equal(response?.status(), 200, `${path}: ${response?.status()}`);
      await page.screenshot({ path: join(SCREENSHOTS, `${shot}.png`), fullPage: true });
      return [...bytes.values()].reduce((sum, n) => sum + n, 0);
    };

    it('signs a person in (the demo does it at once) and shows the overview', { skip }, async () => {
      await page.goto(`${stack.runner.url}/api/console`);
      assert.equal(new URL(page.url()).pathname, '/api/console', 'back on the console after signing in');
      const weight = await visit('/api/console', 'overview');
      assert.ok(weight < PAGE_WEIGHT_LIMIT, `overview weighs ${weight} bytes`);
      assert.equal(await page.locator('h1').textContent(), 'Overview');
      const automation = page.locator('[data-flow="automation"]');
      assert.match((await automation.textContent()) ?? '', /succeeded[\s\S]*hello\.sh for ticket 1001/);
      assert.match((await page.locator('[data-flow="sync:contacts"]').textContent()) ?? '', /succeeded/);
      assert.match((await page.locator('table').first().textContent()) ?? '', /Tailspin Toys[\s\S]*Set the website/);
    });

    it('shows every mail with its fate and its ticket', { skip }, async () => {
      await visit('/api/console/mail', 'mail');
      const log = (await page.locator('table.mail-log').textContent()) ?? '';
      assert.match(log, /Printer on fire[\s\S]*ticket \d+ created/);
      assert.match(log, /RE: Mailbox full \[ID:1001\][\s\S]*appended to 1001/);
      await page.fill('input[name="q"]', 'printer');
      await Promise.all([page.waitForURL(/q=printer/), page.click('form.filters button[type="submit"]')]);
      assert.equal(await page.locator('table.mail-log tbody tr').count(), 1);
    });

    it('shows the script job, its output and the Halo write', { skip }, async () => {
      await visit('/api/console/scripts', 'scripts');
      const row = page.locator('table.jobs tbody tr').first();
      assert.match((await row.textContent()) ?? '', /succeeded[\s\S]*hello\.sh[\s\S]*1001[\s\S]*Halo: .*status \d+/);
      await row.locator('summary').click();
      assert.match((await row.locator('pre').textContent()) ?? '', /Hello Megan Bowen/);
      const ticket = await row.locator('a[href*="/tickets?id=1001"]').getAttribute('href');
      assert.equal(ticket, `${stack.halo.url}/tickets?id=1001`);
    });

    it('shows the tenant-sync run with each change and its reason, and starts a plan run', { skip }, async () => {
      await visit('/api/console/syncs', 'syncs');
      const runsBefore = await page.locator('table.runs tbody tr').count();
      await Promise.all([
        page.waitForURL(/\/api\/console\/syncs\/contacts\//),
        page.locator('table.runs a[href*="/syncs/contacts/"]').first().click(),
      ]);
      await page.screenshot({ path: join(SCREENSHOTS, 'run.png'), fullPage: true });
      const contoso = (await page.locator('[data-tenant="11111111-1111-4111-8111-111111111111"]').textContent()) ?? '';
      assert.match(contoso, /create contact[\s\S]*has no Halo contact/);
      assert.match(contoso, /deactivate contact[\s\S]*deactivating/);
      assert.match((await page.textContent('main')) ?? '', /Unmatched:[\s\S]*Fix:[\s\S]*tailspintoys\.com/);

      await page.goto(`${stack.runner.url}/api/console/syncs`);
      await page.selectOption('[data-sync="contacts"] select[name="mode"]', 'plan');
      await page.click('[data-sync="contacts"] button');
      // The answer is shown until the page reloads (1.2 s later): wait for it, not for the element and then its text.
      await page
        .locator('[data-sync="contacts"] [data-status].ok')
        .filter({ hasText: /run started in plan mode/ })
        .waitFor();
      // The page reloads once the run started; the new run is listed first.
      await until(async () => (await page.locator('table.runs tbody tr').count()) > runsBefore);
    });

    it('replays a planted poison message from the failures page, once', { skip }, async () => {
      const planted = await plantPoisonMessage(stack, QUEUES.mailboxScan, { mailboxId: 'support', reason: 'manual' });
      await visit(`/api/console/failures?queue=${QUEUES.mailboxScan}`, 'failures');
      assert.equal(await page.locator('h1').textContent(), 'Failures');
      const row = page.locator(`tr[data-failure="${planted.id}"]`);
      assert.match((await row.textContent()) ?? '', /open/);
      await row.getByRole('button', { name: 'Replay' }).click();
      await row
        .locator('[data-status]')
        .filter({ hasText: /sent back to mailbox-scan/ })
        .waitFor();
      await page.waitForLoadState('load');
      await until(async () =>
        /replayed/.test((await page.locator(`tr[data-failure="${planted.id}"]`).textContent()) ?? ''),
      );
      assert.equal(
        await page.locator(`tr[data-failure="${planted.id}"] button`).count(),
        0,
        'no second replay offered',
      );
      const stored = await stack.container.stores.queueFailures.get(QUEUES.mailboxScan, planted.id);
      assert.equal(stored?.status, 'replayed');
    });

    it('shows the Halo budget page', { skip }, async () => {
      await visit('/api/console/budget', 'budget');
      assert.equal(await page.locator('h1').textContent(), 'Halo budget');
    });

    it('fits a phone: nothing wider than the screen but the tables, which scroll', { skip }, async () => {
      await page.setViewportSize({ width: 390, height: 844 });
      await visit('/api/console', 'overview-phone');
      const overflow = await page.evaluate(() => {
        const { document, innerWidth } = globalThis as unknown as {
          document: { documentElement: { scrollWidth: number } };
          innerWidth: number;
        };
        return document.documentElement.scrollWidth - innerWidth;
      });
      assert.ok(overflow <= 0, `the page is ${overflow} px wider than the phone`);
      await page.setViewportSize({ width: 1280, height: 900 });
    });

    it('refuses a browser that is not signed in', { skip }, async () => {
      const response = await page.context().request.get(`${stack.runner.url}/api/console/scripts`, {
        headers: { accept: 'application/json', cookie: '' },
        maxRedirects: 0,
      });
      assert.equal(response.status(), 401);
    });

    it('made no request to any other origin and logged no error (no CSP violation)', { skip }, () => {
      assert.deepEqual(foreign, []);
      assert.deepEqual(problems, []);
    });
  });

  describe('the page itself', () => {
    it('answers HTML to a browser with a strict policy and no inline code, assets cached by content hash', async () => {
      const response = await operator.get('/api/console', 'text/html,application/xhtml+xml');
      assert.equal(response.status, 200);
      const csp = response.headers.get('content-security-policy') ?? '';
      assert.match(csp, /default-src 'none'/);
      assert.match(csp, /script-src 'self';/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
      assert.equal(response.headers.get('cache-control'), 'no-store');
      const page = await response.text();
      assert.doesNotMatch(page, /<script>|<style|style="|onclick=|javascript:/i);
      for (const asset of Object.values(CONSOLE_ASSETS)) {
        assert.ok(page.includes(`/api/console/assets/${asset.name}`), asset.name);
        const served = await anonymous.get(`/api/console/assets/${asset.name}`, '*/*');
        assert.equal(served.status, 200);
        assert.match(served.headers.get('cache-control') ?? '', /immutable/);
      }
      // Every src/href the page loads from is its own; links into Halo are the only other URLs.
      const loaded = [...page.matchAll(/<(?:script|link)[^>]+(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
      assert.ok(
        loaded.every((url) => url?.startsWith('/api/console/assets/')),
        loaded.join(', '),
      );
    });
  });
});

async function until(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not true after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function cookieOf(baseUrl: string, roles?: string): Promise<string | undefined> {
  const login = await fetch(`${baseUrl}/.auth/login/aad${roles ? `?roles=${encodeURIComponent(roles)}` : ''}`, {
    redirect: 'manual',
  });
  return login.headers.get('set-cookie')?.split(';')[0];
}
