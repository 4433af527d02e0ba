// The console's read models as plain text lines for the terminal (the CLI's default; --json prints the data itself).
import type { FailuresView, JobsView, MailView, RunsView } from '../../shared/console/reads';
import type { JobDetail } from '../../shared/console/views/jobs';
import type { OverviewView } from '../../shared/console/views/overview';
import type { RunDetail } from '../../shared/console/views/syncs';
import { describeCounts, duration, relative } from '../../shared/console/words';

const ago = (iso: string | undefined, now: Date) => (iso ? relative(Date.parse(iso) - now.getTime()) : '—');
const pad = (text: string, width: number) => (text.length >= width ? `${text} ` : text.padEnd(width));
const MARK: Record<string, string> = { ok: '✔', warning: '!', failed: '✘', idle: '·' };

export function overviewLines(view: OverviewView, now: Date): string[] {
  const lines = ['flows'];
  for (const flow of view.flows) {
    const last = flow.last
      ? `${flow.last.status} ${ago(flow.last.at, now)}: ${flow.last.summary || 'no changes'}`
      : 'has not run';
    const next = flow.nextRunAt ? `; next ${ago(flow.nextRunAt, now)}` : '';
    lines.push(`  ${MARK[flow.health] ?? ' '} ${pad(flow.title, 34)}${last}${next}`);
    if (flow.last?.error) lines.push(`      ${flow.last.error}`);
  }
  if (view.tenants.length > 0) lines.push('tenants');
  for (const tenant of view.tenants) {
    const company = tenant.company ? `→ ${tenant.company.name}` : '→ no company';
    lines.push(
      `  ${pad(tenant.displayName, 24)}${pad(tenant.sync, 10)}${pad(company, 28)}last success ${ago(tenant.lastSuccessAt, now)}`,
    );
    if (tenant.lastError) lines.push(`      last error ${ago(tenant.lastErrorAt, now)}: ${tenant.lastError}`);
    if (tenant.fix) lines.push(`      fix: ${tenant.fix}`);
  }
  lines.push('workers');
  if (view.workers.length === 0) lines.push('  none registered');
  for (const worker of view.workers) {
    const job = worker.lastJob ? `; last job ${worker.lastJob.script} ${worker.lastJob.status}` : '';
    lines.push(`  ${pad(worker.id, 24)}group ${pad(worker.group, 12)}last seen ${ago(worker.lastSeenAt, now)}${job}`);
  }
  lines.push('graph subscriptions');
  if (view.subscriptions.length === 0) lines.push('  none');
  for (const s of view.subscriptions)
    lines.push(`  ${MARK[s.health] ?? ' '} ${pad(s.mailbox, 36)}expires ${ago(s.expiresAt, now)}`);
  const open = Object.entries(view.failures.open).map(([queue, n]) => `${queue} ${n}`);
  lines.push(
    `failures: ${view.failures.total === 0 ? 'none' : `${view.failures.total} (${open.join(', ')}); see \`npm run cli -- failures\``}`,
  );
  const c = view.config;
  const sync = c.tenantSync.enabled ? `${c.tenantSync.mode} mode, ${c.tenantSync.schedule}` : 'disabled';
  lines.push(
    `config ${c.version}: ${c.mailboxes} mailbox(es), ${c.scripts} script(s), ${c.workers} worker(s); tenant sync ${sync}`,
    `  from ${c.source}${c.savedAt ? `, pushed ${ago(c.savedAt, now)}` : ''}${c.loadedAt ? `, loaded ${ago(c.loadedAt, now)}` : ''}`,
  );
  if (c.state !== 'ok') lines.push(`  ${MARK.failed} ${c.state}: ${c.problems.join('; ')}`);
  return lines;
}

export function runLines(run: RunDetail, now: Date): string[] {
  const lines = [
    `${run.title} run ${run.runId} (${run.mode ?? '?'} mode): ${run.status}, started ${ago(run.startedAt, now)}`,
    `  ${describeCounts(run.counts) || 'no changes'}`,
  ];
  if (run.error) lines.push(`  ${run.error}`);
  for (const source of run.sources) {
    const company = source.company ? ` → ${source.company.name} (by ${source.company.by})` : '';
    lines.push(`  ${source.displayName}: ${source.phase}${company}; ${describeCounts(source.counts) || 'no changes'}`);
    if (source.unmatched) lines.push(`    unmatched: ${source.unmatched.reason}`, `    fix: ${source.unmatched.fix}`);
    if (source.error) lines.push(`    ${source.error}`);
  }
  for (const report of run.reports) lines.push(`  report: ${report}`);
  return lines;
}

export function runsLines(view: RunsView, now: Date): string[] {
  const lines = view.syncs.map((sync) => {
    const state = sync.enabled ? `${sync.mode} mode, ${sync.schedule}` : 'disabled';
    const next = sync.nextRunAt ? `; next ${ago(sync.nextRunAt, now)}` : '';
    return `${sync.title} (${sync.kind}): ${state}${next}`;
  });
  if (view.runs.length === 0) lines.push('no run yet');
  for (const run of view.runs) {
    lines.push(
      `${run.runId}  ${pad(run.title, 16)}${pad(run.mode ?? '', 8)}${pad(run.status, 10)}${pad(ago(run.startedAt, now), 11)}${describeCounts(run.counts)}`,
    );
  }
  return lines;
}

export function jobsLines(view: JobsView, now: Date, withOutput: boolean): string[] {
  const lines: string[] = [];
  if (view.jobs.length === 0) lines.push('no job matches');
  for (const job of view.jobs) {
    const ticket = job.ticketId !== undefined ? `ticket ${job.ticketId}` : 'no ticket';
    lines.push(
      `${pad(ago(job.createdAt, now), 11)}${pad(job.status, 11)}${pad(job.script, 22)}${pad(ticket, 13)}${pad(job.workerId ?? '—', 16)}${pad(duration(job.durationMs), 9)}${job.id}`,
    );
    if (job.haloWrite) lines.push(`    Halo: ${job.haloWrite}`);
    if (job.error) lines.push(`    ${job.error}`);
    if (withOutput && job.outputTail) lines.push(...indented(job.outputTail));
  }
  if (view.next) lines.push(`older: add --after ${view.next}`);
  return lines;
}

export function jobLines(job: JobDetail, now: Date): string[] {
  const lines = [
    `job ${job.id}: ${job.script} ${job.status}, created ${ago(job.createdAt, now)}, ${duration(job.durationMs)}`,
    `  worker ${job.workerId ?? '—'} (group ${job.group}); source ${job.source}${job.ticketId !== undefined ? `; ticket ${job.ticketId} ${job.ticketUrl ?? ''}` : ''}`,
  ];
  if (job.haloWrite) lines.push(`  Halo: ${job.haloWrite}`);
  if (job.error) lines.push(`  ${job.error}`);
  const output = job.output ?? job.outputTail;
  if (output) lines.push('  output:', ...indented(output));
  return lines;
}

export function mailLines(view: MailView, now: Date): string[] {
  const lines = view.mailboxes.map((m) => {
    const scan = m.lastScan;
    const last = scan ? `last scan ${scan.status} ${ago(scan.finishedAt ?? scan.startedAt, now)}` : 'never scanned';
    return `${m.address}: ${last}; last 24 h: ${describeCounts(m.last24h?.counts ?? {}) || 'no mail'}`;
  });
  if (view.entries.length === 0) lines.push('no mail matches');
  for (const e of view.entries) {
    lines.push(
      `${pad(ago(e.receivedAt ?? e.processedAt, now), 11)}${pad(e.from ?? 'unknown', 30)}${pad(e.subject ?? '', 34)}${e.fate}`,
    );
  }
  if (view.next) lines.push(`older: add --after ${view.next}`);
  return lines;
}

export function failuresLines(view: FailuresView, now: Date): string[] {
  if (view.failures.length === 0) return ['no failure: nothing needs a person'];
  return view.failures.flatMap((f) => [
    `${pad(ago(f.failedAt, now), 11)}${pad(f.queue, 20)}${pad(f.status, 10)}${f.id}${f.status === 'open' && f.replayable ? `  (npm run cli -- replay ${f.queue} ${f.id})` : ''}`,
    `    why: ${f.reason}`,
    `    message: ${f.preview}`,
  ]);
}

function indented(text: string): string[] {
  return text.split('\n').map((line) => `    | ${line}`);
}
