import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../shared/runtime/logger';

/** Keeps the worker's running script groups listed with a guard process that kills them if the worker dies. */
export interface ScriptGuard {
  /** The guard process's pid (undefined when it could not start). */
  readonly pid: number | undefined;
  track(pid: number): void;
  release(pid: number): void;
  /** Ends the guard; groups still listed are killed (after a graceful stop there are none). */
  close(): void;
}

const GUARD_PATH = join(__dirname, 'scriptGuard.cjs');

/**
 * Starts the guard (worker/scriptGuard.cjs) in a session of its own, so a Ctrl-C or a kill of the worker's process
 * group does not reach it, with a pipe as its only link: the operating system closes the pipe when the worker dies,
 * even by SIGKILL, and the guard then kills every script group still listed. A guard that is gone (killed with the
 * worker's whole cgroup, say) is not fatal: the restart sweep (leftoverScripts.ts) is the second line.
 */
export function startScriptGuard(logger: Logger, platform: NodeJS.Platform = process.platform): ScriptGuard {
  if (!existsSync(GUARD_PATH)) {
    logger.warn('script guard missing: scripts of a crashed worker are only stopped on its next start', {
      path: GUARD_PATH,
    });
    return { pid: undefined, track() {}, release() {}, close() {} };
  }
  const child = spawn(process.execPath, [GUARD_PATH], {
    detached: platform !== 'win32',
    stdio: ['pipe', 'ignore', 'ignore'],
    windowsHide: true,
  });
  child.unref();
  const stdin = child.stdin!;
  (stdin as unknown as { unref?: () => void }).unref?.();
  let broken = false;
  const fail = (error: unknown) => {
    if (broken) return;
    broken = true;
    logger.warn('script guard is gone: scripts of a crashed worker are only stopped on its next start', { error });
  };
  stdin.on('error', fail);
  child.once('error', fail);
  child.once('exit', (code, signal) => fail(new Error(`guard exited (${code ?? signal})`)));
  const write = (line: string) => {
    if (!broken) stdin.write(`${line}\n`);
  };
  return {
    pid: child.pid,
    track: (pid) => write(`+${pid}`),
    release: (pid) => write(`-${pid}`),
    close() {
      broken = true;
      stdin.end();
    },
  };
}
