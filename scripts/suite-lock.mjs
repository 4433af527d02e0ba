// One full test suite at a time per machine. The integration tests start simulators, Azurite and worker processes
// and wait on real timers; two full suites side by side on a small machine time each other out. A full run waits for
// a lock file in the temp folder (taken over when its holder's process is gone); a filtered run never waits.
// HALO_BRIDGE_SUITE_LOCK=0 turns it off.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const LOCK = join(tmpdir(), 'halo-bridge-test-suite.lock');

function holder() {
  try {
    return Number.parseInt(readFileSync(LOCK, 'utf8'), 10);
  } catch {
    return undefined;
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

function tryTake() {
  try {
    const fd = openSync(LOCK, 'wx');
    writeSync(fd, String(process.pid));
    closeSync(fd);
    return true;
  } catch (error) {
    if (error.code !== 'EEXIST') throw error;
    const pid = holder();
    if (pid !== undefined && !Number.isNaN(pid) && alive(pid)) return false;
    try {
      unlinkSync(LOCK);
    } catch {}
    return false;
  }
}

/** Resolves once this process holds the suite lock; the lock goes when the process exits. */
export async function takeSuiteLock(env = process.env) {
  if (env.HALO_BRIDGE_SUITE_LOCK === '0') return;
  let announced = false;
  while (!tryTake()) {
    if (!announced) {
      console.error(`another full test run (pid ${holder()}) is in progress on this machine; waiting for it`);
      announced = true;
    }
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
  process.on('exit', () => {
    if (holder() === process.pid) unlinkSync(LOCK);
  });
}
