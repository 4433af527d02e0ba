import { readdir } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';
import { importPrivateKey, keyIdOf } from '../shared/jobs';
import type { WorkerConfig } from './config';
import { findExecutable } from './executables';
import { resolveScript } from './scriptResolver';
import type { WorkerQueues } from './workerQueues';

export interface CheckLine {
  readonly ok: boolean;
  readonly text: string;
}

const INTERPRETER_FOR: Record<string, keyof WorkerConfig['interpreters']> = {
  '.sh': 'bash',
  '.js': 'node',
  '.py': 'python3',
};

/** Text left in a value copied from `examples/worker.config.json` that still has to be replaced. */
const PLACEHOLDER = /REPLACE_(?:ME|WITH)|yourstorageaccount\./;

/** What `worker check` reports: the key, the queue, every script with its SHA-256 and pin, the interpreters. */
export async function checkWorker(input: {
  config: WorkerConfig;
  /** The private key file's text, or why it could not be read. */
  privateKey: { readonly text: string } | { readonly readError: string };
  queues: WorkerQueues;
  env: Readonly<Record<string, string | undefined>>;
  platform: NodeJS.Platform;
}): Promise<CheckLine[]> {
  const { config } = input;
  const lines: CheckLine[] = [
    { ok: true, text: `config valid: worker ${config.workerId}, group ${config.workerGroup}` },
  ];
  lines.push(checkPrivateKey(config.privateKeyFile, input.privateKey));
  for (const [index, key] of config.cloudPublicKeys.entries()) {
    if (PLACEHOLDER.test(key)) {
      lines.push({
        ok: false,
        text: `cloudPublicKeys[${index}]: still the example placeholder; paste the job-signing public key that the cloud's post-provision hook printed`,
      });
      continue;
    }
    try {
      lines.push({ ok: true, text: `cloud public key ${index}: keyId ${keyIdOf(key)}` });
    } catch (error) {
      lines.push({ ok: false, text: `cloudPublicKeys[${index}]: ${(error as Error).message}` });
    }
  }
  const queuePlaceholders = Object.entries(config.queue)
    .filter(([, value]) => typeof value === 'string' && PLACEHOLDER.test(value))
    .map(([field]) => `queue.${field}`);
  if (queuePlaceholders.length > 0) {
    lines.push({
      ok: false,
      text: `${queuePlaceholders.join(', ')}: still the example placeholder; the jobs queue was not tried`,
    });
  } else {
    lines.push(await checkQueue(input.queues));
  }

  const needed = new Set<keyof WorkerConfig['interpreters']>();
  let files: string[] = [];
  try {
    files = await listFiles(config.scriptFolder);
  } catch (error) {
    lines.push({ ok: false, text: `script folder unreadable: ${(error as Error).message}` });
  }
  const pins = Object.fromEntries(Object.entries(config.scripts).map(([key, options]) => [key, options.sha256]));
  for (const file of files) {
    const name = relative(config.scriptFolder, file).split(sep).join('/');
    const extension = extname(name).toLowerCase();
    if (extension === '.ps1') needed.add(config.scripts[name]?.powershell ?? 'pwsh');
    else if (INTERPRETER_FOR[extension]) needed.add(INTERPRETER_FOR[extension]);
    else continue;
    const resolved = await resolveScript(name, {
      scriptFolder: config.scriptFolder,
      pins,
      requirePins: config.requirePins,
    });
    if (resolved.ok) {
      lines.push({ ok: true, text: `script ${name} sha256 ${resolved.sha256}${pins[name] ? ' (pinned)' : ''}` });
    } else {
      lines.push({ ok: false, text: `script ${name}: ${resolved.reason}: ${resolved.detail}` });
    }
  }
  for (const key of Object.keys(config.scripts)) {
    if (!files.some((file) => relative(config.scriptFolder, file).split(sep).join('/') === key)) {
      lines.push({ ok: false, text: `scripts.${key}: no such script in the script folder` });
    }
  }
  for (const [name, command] of Object.entries(config.interpreters) as [keyof WorkerConfig['interpreters'], string][]) {
    const found = findExecutable(command, input.env, input.platform);
    const required = needed.has(name);
    lines.push({
      ok: found !== undefined || !required,
      text: found
        ? `interpreter ${name}: ${found}`
        : `interpreter ${name} (${command}) not found${required ? ', but scripts need it' : ' (no script needs it)'}`,
    });
  }
  return lines;
}

/** The worker's own key: readable, and a private key (the keyId is that of its public half, as `keygen` printed). */
function checkPrivateKey(path: string, key: { readonly text: string } | { readonly readError: string }): CheckLine {
  if ('readError' in key) {
    return {
      ok: false,
      text: `privateKeyFile ${path} cannot be read (${key.readError}); create it with: npm run worker -- keygen --out ${path}`,
    };
  }
  if (/-----BEGIN PUBLIC KEY-----/.test(key.text)) {
    return {
      ok: false,
      text: `privateKeyFile ${path} holds a public key; it must be the private key that keygen wrote (not the .pub file)`,
    };
  }
  try {
    return { ok: true, text: `worker key ok, keyId ${keyIdOf(importPrivateKey(key.text))} (register its public key)` };
  } catch (error) {
    return { ok: false, text: `privateKeyFile ${path} is not an Ed25519 private key: ${(error as Error).message}` };
  }
}

async function checkQueue(queues: WorkerQueues): Promise<CheckLine> {
  try {
    const waiting = await queues.peekJobs();
    return { ok: true, text: `jobs queue reachable (${waiting > 0 ? 'jobs waiting' : 'empty'})` };
  } catch (error) {
    return { ok: false, text: `jobs queue not reachable: ${(error as Error).message.split('\n')[0]}` };
  }
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map(async (entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return listFiles(path);
      return entry.isFile() || entry.isSymbolicLink() ? [path] : [];
    }),
  );
  return nested.flat().sort();
}
