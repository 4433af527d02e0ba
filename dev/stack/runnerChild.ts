// The Functions app in a process of its own (the stack's `runner: 'process'` option): started by
// dev/stack/runnerProcess.ts with an IPC channel, it builds the app from the settings it is sent and answers the
// runner's calls over the channel. A test can SIGKILL it mid-flow and start another on the same Azurite and
// simulators. It exits when the channel closes: it never outlives the process that started it.
import type { LocalRunner } from '../runner';
import { startAppRunner } from './appRunner';
import type { FromRunnerChild, ToRunnerChild } from './runnerProtocol';

const send = (message: FromRunnerChild) => {
  if (process.connected) process.send?.(message);
};

let runner: LocalRunner | undefined;

async function start(message: Extract<ToRunnerChild, { type: 'start' }>): Promise<void> {
  try {
    const app = await startAppRunner(message.input, (entry) => send({ type: 'log', entry }));
    runner = app.runner;
    const started = runner;
    started.onInvocation((record) =>
      send({ type: 'invocation', record, stats: started.stats(), schedules: started.timerSchedules() }),
    );
    send({ type: 'ready', url: started.url, stats: started.stats(), schedules: started.timerSchedules() });
  } catch (error) {
    send({ type: 'failed', error: (error as Error).message });
  }
}

async function call(message: Extract<ToRunnerChild, { type: 'call' }>): Promise<void> {
  try {
    if (!runner) throw new Error('the runner has not started');
    const value =
      message.method === 'runTimer'
        ? await runner.runTimer(message.args[0])
        : message.method === 'drain'
          ? await runner.drain(message.args[0])
          : await runner.stop();
    send({ type: 'reply', id: message.id, ok: true, value: value ?? null });
    if (message.method === 'stop') process.exit(0);
  } catch (error) {
    send({ type: 'reply', id: message.id, ok: false, error: (error as Error).message });
  }
}

process.on('message', (message: ToRunnerChild) => {
  if (message.type === 'start') void start(message);
  else void call(message);
});
process.once('disconnect', () => {
  const stopping = runner?.stop() ?? Promise.resolve();
  void stopping.finally(() => process.exit(0));
});
