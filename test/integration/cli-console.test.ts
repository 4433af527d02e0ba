import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writeStackFile } from '../../dev/cli/consoleTarget';
import { DEMO_GRAPH_APP, type Stack } from '../../dev/stack';
import type { FailuresView, JobsView, MailView, RunsView } from '../../shared/console/reads';
import type { OverviewView } from '../../shared/console/views/overview';
import { scanRunKind } from '../../shared/mail/useCases/scanMailbox';
import { QUEUES } from '../../shared/storage';
import { runCli } from '../support/cli';
import { type ConsoleClient, plantPoisonMessage, signIn, startSettledDemo } from '../support/consoleDemo';

describe('npm run cli: the console on the command line, reading the stack `npm start` runs', () => {
  let stack: Stack;
  let operator: ConsoleClient;
  let dir: string;
  let env: Record<string, string>;
  const cli = (...args: string[]) => runCli(args, env);
  const json = async <T>(...args: string[]): Promise<T> => {
    const { code, stdout, stderr } = await cli(...args, '--json');
    assert.ok(code === 0 || code === 1, `${args.join(' ')}: exit ${code}\n${stderr}`);
    assert.match(stderr, /^halo-bridge: the stack of npm start \(pid \d+\)$/m, 'where it reads, on stderr');
    return JSON.parse(stdout) as T;
  };

  before(async () => {
    // The config as a deployed app has it: pushed to the config blob, so "the config in force" says when.
    stack = await startSettledDemo({ configFromBlob: true });
    operator = await signIn(stack.runner.url);
    dir = mkdtempSync(join(tmpdir(), 'halo-bridge-cli-'));
    const stackFile = join(dir, 'demo-stack.json');
    writeStackFile(stack, stackFile);
    env = { HALO_BRIDGE_STACK_FILE: stackFile };
  });
  after(async () => {
    await stack?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('status: the overview, the same JSON as the console, and in words; exit 1 while something needs a person', async () => {
    const fromCli = await json<OverviewView>('status');
    const fromPage = await operator.json<OverviewView>('/api/console');
    // Everything but the moment each was made, and when each process loaded the config (the CLI reads it itself).
    const timeless = (view: OverviewView) => ({ ...view, generatedAt: '', config: { ...view.config, loadedAt: '' } });
    assert.deepEqual(timeless(fromCli), timeless(fromPage));
    assert.ok(
      fromCli.flows.some((flow) => flow.nextRunAt),
      'the timers are known: next runs shown',
    );
    assert.equal(fromPage.config.source, 'config/integration.json');
    assert.equal(fromPage.config.state, 'ok');
    assert.ok(fromPage.config.savedAt && fromPage.config.loadedAt, 'when it was pushed and loaded');

    const text = await cli('status');
    const unhealthy =
      fromPage.flows.some((f) => f.health === 'failed' || f.health === 'warning') ||
      fromPage.failures.total > 0 ||
      fromPage.config.state !== 'ok';
    assert.equal(text.code, unhealthy ? 1 : 0, text.stderr);
    assert.match(text.stdout, /^halo-bridge: the stack of npm start/);
    for (const flow of fromPage.flows) assert.ok(text.stdout.includes(flow.title), flow.title);
    for (const worker of fromPage.workers) assert.match(text.stdout, new RegExp(`${worker.id} +group ${worker.group}`));
    assert.match(text.stdout, new RegExp(`^config ${fromPage.config.version}: `, 'm'));
    assert.match(text.stdout, /^ {2}from config\/integration\.json, pushed \d+ (s|min) ago, loaded /m);
  });

  it('jobs: the Scripts page as JSON and text; one job with its output; a bad flag says what is wrong', async () => {
    const view = await json<JobsView>('jobs');
    assert.deepEqual(view, await operator.json<JobsView>('/api/console/scripts'));
    const job = view.jobs.find((j) => j.outputTail);
    assert.ok(job, 'the demo ran a script that printed something');

    const list = await cli('jobs', '--script', job.script, '--output');
    assert.equal(list.code, 0, list.stderr);
    assert.ok(list.stdout.includes(job.id));
    const lastLine = job.outputTail!.trim().split('\n').at(-1)!;
    assert.ok(list.stdout.includes(`| ${lastLine}`), 'the output tail, as printed');

    const one = await cli('jobs', job.id);
    assert.equal(one.code, 0, one.stderr);
    assert.match(one.stdout, new RegExp(`^job ${job.id}: ${job.script} ${job.status}`, 'm'));
    assert.match(one.stdout, /^ {2}output:$/m);

    const bad = await cli('jobs', '--limit', '0');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^invalid options: --limit: Too small: expected number to be >=1$/m);
    assert.match(bad.stderr, /usage: npm run cli -- jobs /);
  });

  it('mail-log: every fate as the Mail page has it, searchable by the same parameters', async () => {
    const view = await json<MailView>('mail-log');
    assert.deepEqual(view, await operator.json<MailView>('/api/console/mail'));
    assert.ok(view.entries.length > 1, 'the demo mails');
    const created = view.entries.find((e) => e.outcome === 'created' && e.ticketId !== undefined);
    assert.ok(created, 'a mail that created a ticket');

    // The page's filter, as a flag: the same mails, in words.
    const byTicket = await operator.json<MailView>(`/api/console/mail?ticket=${created.ticketId}`);
    assert.ok(byTicket.entries.length > 0 && byTicket.entries.every((e) => e.ticketId === created.ticketId));
    const text = await cli('mail-log', '--ticket', String(created.ticketId));
    assert.equal(text.code, 0, text.stderr);
    for (const entry of byTicket.entries) assert.ok(text.stdout.includes(entry.fate), entry.fate);
    const others = view.entries.filter(
      (e) => e.ticketId !== created.ticketId && !e.fate.includes(`${created.ticketId}`),
    );
    for (const entry of others) assert.ok(!text.stdout.includes(entry.fate), `filtered out: ${entry.fate}`);

    const unknown = await cli('mail-log', '--mailbox', 'nobody');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no mailbox "nobody" is configured/);
  });

  it('runs and status <runId>: the syncs and a run with each tenant, as the Syncs page has them', async () => {
    const runs = await json<RunsView>('runs');
    assert.deepEqual(runs, await operator.json<RunsView>('/api/console/syncs'));
    const run = runs.runs[0];
    assert.ok(run, 'the demo ran a tenant sync');
    const detail = await cli('status', run.runId);
    assert.match(detail.stdout, new RegExp(`^${run.title} run ${run.runId} \\(`, 'm'));
    assert.equal(detail.code, run.status === 'succeeded' ? 0 : 1, detail.stderr);
    const missing = await cli('status', 'no-such-run');
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no run no-such-run of any sync/);
  });

  it('failures, replay, dismiss: what a queue gave up on, masked; a replay runs the message again, once', async () => {
    const secret = DEMO_GRAPH_APP.secret;
    const noted = await stack.container.stores.queueFailures.record({
      queue: QUEUES.mailboxScan,
      kind: 'exhausted',
      preview: JSON.stringify({ mailboxId: 'support', note: `client secret ${secret}` }),
      reason: `Graph refused the app (secret ${secret}): 401`,
      dequeueCount: 5,
    });
    const planted = await plantPoisonMessage(stack, QUEUES.mailboxScan, { mailboxId: 'support', reason: 'manual' });
    const view = await json<FailuresView>('failures');
    assert.deepEqual(view, await operator.json<FailuresView>('/api/console/failures'));
    const text = await cli('failures', '--queue', QUEUES.mailboxScan);
    assert.equal(text.code, 1, `open failures wait for a person\n${text.stderr}`);
    assert.match(text.stdout, new RegExp(`open +${noted.id}\\n {4}why: Graph refused the app \\(secret \\S+\\): 401`));
    assert.match(
      text.stdout,
      new RegExp(`open +${planted.id} {2}\\(npm run cli -- replay mailbox-scan ${planted.id}\\)`),
    );
    assert.ok(!text.stdout.includes(secret) && !JSON.stringify(view).includes(secret), 'the secret is masked');

    const scans = async () => (await stack.container.stores.runs.list(scanRunKind('support'), { top: 100 })).length;
    const scansBefore = await scans();
    const replay = await cli('replay', QUEUES.mailboxScan, planted.id);
    assert.equal(replay.code, 0, replay.stderr);
    assert.match(replay.stdout, /^sent back to mailbox-scan \(message \S+\); it runs again as new$/m);
    const again = await cli('replay', QUEUES.mailboxScan, planted.id);
    assert.equal(again.code, 1, 'a second replay is refused');
    assert.match(again.stderr, /replayed/);
    await stack.runner.drain({ idleMs: 300, timeoutMs: 60_000 });
    assert.equal(await scans(), scansBefore + 1, 'the replayed message ran: one more scan of the mailbox');

    const dismiss = await cli('dismiss', QUEUES.mailboxScan, noted.id, '--note', 'the secret was rotated');
    assert.equal(dismiss.code, 0, dismiss.stderr);
    const after = await operator.json<FailuresView>(`/api/console/failures?queue=${QUEUES.mailboxScan}`);
    const status = Object.fromEntries(after.failures.map((f) => [f.id, [f.status, f.note]]));
    assert.deepEqual(status[planted.id], ['replayed', undefined]);
    assert.deepEqual(status[noted.id], ['dismissed', 'the secret was rotated']);
    const none = await cli('failures', '--status', 'open');
    assert.equal(none.code, 0, 'nothing open: nothing needs a person');
    assert.match(none.stdout, /no failure: nothing needs a person/);
  });
});
