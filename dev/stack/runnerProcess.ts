import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { LogSink } from '../../shared/runtime/logger';
import type { DrainOptions, FunctionStats, InvocationListener, InvocationRecord, LocalRunner } from '../runner';
import type { AppRunnerInput } from './appRunner';
import type { FromRunnerChild, Schedules, ToRunnerChild } from './runnerProtocol';

const ROOT = resolve(__dirname, '..', '..');
const CHILD = resolve(__dirname, 'runnerChild.ts');

/** The local runner in a child process: the same calls as the in-process one, plus a crash and a fresh start. */
export interface RunnerProcess extends LocalRunner {
  /** The running child's pid. */
  readonly pid: number | undefined;
  /** Kills the child with SIGKILL (no chance to finish anything) and waits until it is gone. */
  crash(): Promise<void>;
  /** Starts a new child with the same input (same port, storage and simulators); after a crash or a stop. */
  restart(): Promise<void>;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/**
 * Starts the Functions app in a child process (dev/stack/runnerChild.ts) and returns a LocalRunner that forwards
 * to it. The child exits when this process does, however it ends (the IPC channel is its lifeline).
 */
export async function startRunnerProcess(input: AppRunnerInput, sink: LogSink): Promise<RunnerProcess> {
  let child: ChildProcess | undefined;
  let url = '';
  let stats: Record<string, FunctionStats> = {};
  let schedules: Schedules = {};
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const listeners = new Set<InvocationListener>();

  const failPending = (reason: string) => {
    for (const { reject } of pending.values()) reject(new Error(reason));
    pending.clear();
  };

  const launch = () =>
    new Promise<void>((resolveReady, rejectReady) => {
      const started = spawn(process.execPath, ['--import', 'tsx', CHILD], {
        cwd: ROOT,
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        env: process.env,
      });
      child = started;
      started.channel?.unref();
      started.on('message', (message: FromRunnerChild) => {
        switch (message.type) {
          case 'ready':
            url = message.url;
            stats = message.stats;
            schedules = message.schedules;
            resolveReady();
            return;
          case 'failed':
            rejectReady(new Error(`the runner process could not start: ${message.error}`));
            return;
          case 'log':
            sink(message.entry);
            return;
          case 'invocation':
            stats = message.stats;
            schedules = message.schedules;
            for (const listener of listeners) listener(message.record);
            return;
          case 'reply': {
            const waiting = pending.get(message.id);
            pending.delete(message.id);
            if (message.ok) waiting?.resolve(message.value);
            else waiting?.reject(new Error(message.error));
          }
        }
      });
      started.once('exit', (code, signal) => {
        if (child === started) child = undefined;
        failPending(`the runner process exited (${code ?? signal})`);
        rejectReady(new Error(`the runner process exited (${code ?? signal}) before it was ready`));
      });
      started.send({ type: 'start', input } satisfies ToRunnerChild);
    });

  const call = <T>(method: 'runTimer' | 'drain' | 'stop', args: unknown[]): Promise<T> =>
    new Promise<T>((resolveCall, rejectCall) => {
      if (!child?.connected) return rejectCall(new Error('the runner process is not running'));
      const id = nextId++;
      pending.set(id, { resolve: resolveCall as (value: unknown) => void, reject: rejectCall });
      child.send({ type: 'call', id, method, args } as ToRunnerChild);
    });

  const exited = (target: ChildProcess) =>
    target.exitCode !== null || target.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolveExit) => target.once('exit', () => resolveExit()));

  await launch();
  return {
    get url() {
      return url;
    },
    get pid() {
      return child?.pid;
    },
    runTimer: (name) => call<InvocationRecord>('runTimer', [name]),
    drain: (options?: DrainOptions) => call<InvocationRecord[]>('drain', [options]),
    stats: () => stats,
    timerSchedules: () => schedules,
    onInvocation(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stop() {
      const target = child;
      if (!target) return;
      const gone = exited(target);
      const timer = setTimeout(() => target.kill('SIGKILL'), 15_000);
      await call('stop', []).catch(() => undefined);
      await gone;
      clearTimeout(timer);
    },
    async crash() {
      const target = child;
      if (!target) return;
      const gone = exited(target);
      target.kill('SIGKILL');
      await gone;
    },
    async restart() {
      if (child) throw new Error('the runner process is still running: crash() or stop() it first');
      await launch();
    },
  };
}
