import { AsyncLocalStorage } from 'node:async_hooks';

const flows = new AsyncLocalStorage<string>();

/**
 * Runs `work` as part of a named flow (a function's name, or `cli`), so that what it costs downstream (e.g. Halo
 * requests per minute by flow) can be attributed without passing the name through every call.
 */
export function runInFlow<T>(flow: string, work: () => T): T {
  return flows.run(flow, work);
}

/** The flow the current code runs in, if any. */
export function currentFlow(): string | undefined {
  return flows.getStore();
}

/**
 * The flow a function belongs to, for people reading a chart: `mail`, `automation`, `console`, or the sync's name
 * (`tenant-sync`, `entra-sync`, …); anything else is the function's own name.
 */
export function flowOfFunction(name: string): string {
  const base = name.replace(/Poison$/, '');
  if (/^console/.test(base)) return 'console';
  if (/^(mailbox|mail|graph)/.test(base)) return 'mail';
  if (/^(halo|job|script)/.test(base)) return 'automation';
  if (/sync/i.test(base)) {
    const sync = base.replace(/(Start|Status|Timer|Queue)$/, '');
    return sync.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`).replace(/^-/, '');
  }
  return base;
}
