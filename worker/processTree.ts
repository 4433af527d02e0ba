import { type ChildProcess, spawn } from 'node:child_process';
import { OutputTail } from './outputTail';

export interface ProcessSpec {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  readonly stdin: string;
  readonly timeoutMs: number;
  readonly outputCapBytes: number;
  /** Values to mask in the captured output. */
  readonly secrets: readonly string[];
  readonly platform: NodeJS.Platform;
  /** Called once the process has started, e.g. to record its pid. */
  readonly onSpawn?: (pid: number) => void;
}

export interface ProcessOutcome {
  readonly exitCode: number | null;
  readonly timedOut: boolean;
  readonly stdout: string;
  readonly stderr: string;
  /** Set when the process could not be started at all (e.g. interpreter missing). */
  readonly spawnError?: string;
}

/** How long to wait for the output pipes to close after the process tree is gone. */
const PIPE_CLOSE_GRACE_MS = 2000;

/**
 * Runs one command (never through a shell) in its own process group, with a hard timeout that kills the whole tree.
 * When the main process ends, whatever it left running in its group is killed too: a job's processes never
 * outlive the job.
 */
export function runProcessTree(spec: ProcessSpec): Promise<ProcessOutcome> {
  return new Promise((resolvePromise) => {
    const stdout = new OutputTail(spec.outputCapBytes);
    const stderr = new OutputTail(spec.outputCapBytes);
    let child: ChildProcess;
    try {
      child = spawn(spec.command, [...spec.args], {
        cwd: spec.cwd,
        env: { ...spec.env },
        shell: false,
        detached: spec.platform !== 'win32',
        windowsHide: true,
        stdio: ['pipe', 'pipe', 'pipe'],
      });
    } catch (error) {
      resolvePromise({ exitCode: null, timedOut: false, stdout: '', stderr: '', spawnError: (error as Error).message });
      return;
    }
    // The pid is known as soon as spawn() returns: recorded at once (not on the 'spawn' event a tick later), so a
    // worker killed right after the script started still has it in its crash journal.
    if (child.pid !== undefined) spec.onSpawn?.(child.pid);
    let timedOut = false;
    let exitCode: number | null = null;
    let settled = false;
    let graceTimer: NodeJS.Timeout | undefined;

    const finish = (spawnError?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(graceTimer);
      const outcome: ProcessOutcome = {
        exitCode: timedOut ? null : exitCode,
        timedOut,
        stdout: stdout.text(spec.secrets),
        stderr: stderr.text(spec.secrets),
      };
      resolvePromise(spawnError === undefined ? outcome : { ...outcome, spawnError });
    };

    const timer = setTimeout(() => {
      timedOut = true;
      killTree(child, spec.platform);
    }, spec.timeoutMs);

    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.stdin?.on('error', () => {}); // a script that never reads stdin closes it early: not an error
    child.stdin?.end(spec.stdin);
    child.once('error', (error) => finish(error.message));
    child.once('exit', (code) => {
      exitCode = code;
      clearTimeout(timer);
      if (spec.platform !== 'win32') killTree(child, spec.platform);
      // A process that escaped the group could hold the pipes open forever: stop waiting for them after a grace.
      graceTimer = setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        finish();
      }, PIPE_CLOSE_GRACE_MS);
    });
    child.once('close', () => finish());
  });
}

/** Kills the process and all its descendants: the process group on Linux/macOS, `taskkill /T /F` on Windows. */
export function killTree(child: ChildProcess, platform: NodeJS.Platform): void {
  if (child.pid === undefined) return;
  if (platform === 'win32') {
    const killer = spawn('taskkill', ['/PID', String(child.pid), '/T', '/F'], { shell: false, windowsHide: true });
    killer.on('error', () => child.kill('SIGKILL'));
    return;
  }
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // the group is already gone
  }
}
