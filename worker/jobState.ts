import { createHash } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { type SignedResult, signedResultSchema } from '../shared/jobs';

const recordSchema = z.object({
  jobId: z.string(),
  /** The queue message that carried it: the same job arriving in another message is a replay. */
  messageId: z.string(),
  expiresAt: z.string(),
  phase: z.enum(['started', 'finished']),
  startedAt: z.string(),
  pid: z.number().int().optional(),
  /** The signed result, kept so a message that reappears after a crash gets the same answer again. */
  result: signedResultSchema.optional(),
});
export type JobRecord = z.infer<typeof recordSchema>;

/**
 * What this worker knows about the jobs it has accepted, one small JSON file per job in the state directory,
 * written atomically and flushed to disk. It is the replay memory and the crash journal at once.
 */
export class JobStateStore {
  private readonly dir: string;

  constructor(stateDirectory: string) {
    this.dir = join(stateDirectory, 'jobs');
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
  }

  get(jobId: string): JobRecord | undefined {
    const record = this.read(this.file(jobId));
    return record?.jobId === jobId ? record : undefined;
  }

  /** True when the job was accepted before from a different queue message. */
  isReplay(jobId: string, messageId: string): boolean {
    const record = this.get(jobId);
    return record !== undefined && record.messageId !== messageId;
  }

  markStarted(record: Omit<JobRecord, 'phase' | 'result'>): void {
    this.write({ ...record, phase: 'started' });
  }

  setPid(jobId: string, pid: number): void {
    const record = this.get(jobId);
    if (record) this.write({ ...record, pid });
  }

  markFinished(record: Omit<JobRecord, 'phase' | 'result'>, result: SignedResult): void {
    this.write({ ...record, phase: 'finished', result });
  }

  /** The jobs accepted here and not finished: after a crash, their scripts may still be running. */
  unfinished(): JobRecord[] {
    const records: JobRecord[] = [];
    for (const name of readdirSync(this.dir)) {
      if (!name.endsWith('.json')) continue;
      const record = this.read(join(this.dir, name));
      if (record?.phase === 'started') records.push(record);
    }
    return records;
  }

  /** Forgets jobs that expired more than `graceMs` ago: the verifier rejects them as expired anyway. */
  prune(now: Date, graceMs: number): number {
    let removed = 0;
    for (const name of readdirSync(this.dir)) {
      const path = join(this.dir, name);
      try {
        if (name.endsWith('.tmp')) throw new Error('leftover temp file');
        const record = recordSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
        if (Date.parse(record.expiresAt) + graceMs >= now.getTime()) continue;
      } catch {
        // unreadable leftovers (e.g. a temp file from a crash) are removed too
      }
      rmSync(path, { force: true });
      removed++;
    }
    return removed;
  }

  private read(path: string): JobRecord | undefined {
    try {
      const parsed = recordSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  private write(record: JobRecord): void {
    const target = this.file(record.jobId);
    const temp = `${target}.tmp`;
    const fd = openSync(temp, 'w', 0o600);
    try {
      writeSync(fd, JSON.stringify(record));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, target);
  }

  private file(jobId: string): string {
    return join(this.dir, `${createHash('sha256').update(jobId).digest('hex').slice(0, 40)}.json`);
  }
}
