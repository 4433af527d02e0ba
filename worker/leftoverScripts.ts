import { readdirSync, readFileSync } from 'node:fs';
import type { JobRecord } from './jobState';

export interface LeftoverKill {
  readonly jobId: string;
  readonly pid: number;
  /** killed: the group was found and killed; gone: nothing of it runs any more; skipped: not checked (platform). */
  readonly outcome: 'killed' | 'gone' | 'skipped';
}

export interface LeftoverDeps {
  readonly platform: NodeJS.Platform;
  /** Linux: the pids in process group `pgid` whose environment carries HALO_JOB_ID=<jobId>. */
  readonly membersOf?: (pgid: number, jobId: string) => number[];
  readonly killGroup?: (pgid: number) => void;
}

/**
 * The restart sweep: every job the crash journal shows as started but not finished may have left its script
 * running (the guard process is the first line; this catches what it could not, e.g. a guard killed too). On Linux a
 * recorded group is killed only when one of its processes still carries the job's HALO_JOB_ID, so a pid the system
 * has handed to someone else since is never touched. Other POSIX systems have no /proc to check: the group is
 * killed when it exists. On Windows nothing is swept here (process ids are reused quickly and the tree is gone with
 * its parent); the guard's `taskkill /T` at the worker's death is what stops scripts there.
 */
export function killLeftoverScripts(records: readonly JobRecord[], deps: LeftoverDeps): LeftoverKill[] {
  const killGroup = deps.killGroup ?? ((pgid: number) => process.kill(-pgid, 'SIGKILL'));
  const membersOf = deps.membersOf ?? linuxGroupMembers;
  const kills: LeftoverKill[] = [];
  for (const record of records) {
    if (record.phase !== 'started' || record.pid === undefined) continue;
    const { jobId, pid } = record;
    if (deps.platform === 'win32') {
      kills.push({ jobId, pid, outcome: 'skipped' });
      continue;
    }
    if (deps.platform === 'linux' && membersOf(pid, jobId).length === 0) {
      kills.push({ jobId, pid, outcome: 'gone' });
      continue;
    }
    try {
      killGroup(pid);
      kills.push({ jobId, pid, outcome: 'killed' });
    } catch {
      kills.push({ jobId, pid, outcome: 'gone' });
    }
  }
  return kills;
}

/** Reads /proc: the live processes of group `pgid` started for `jobId` (zombies have already exited). */
export function linuxGroupMembers(pgid: number, jobId: string): number[] {
  const marker = `HALO_JOB_ID=${jobId}`;
  const members: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces and parentheses): state, ppid, pgrp, ...
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) !== pgid || state === 'Z') continue;
      const environ = readFileSync(`/proc/${name}/environ`, 'utf8').split('\0');
      if (environ.includes(marker)) members.push(Number(name));
    } catch {
      // the process ended while we looked, or is not ours to read
    }
  }
  return members;
}
