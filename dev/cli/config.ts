// `npm run cli -- config validate|show|diff|push|pull|history`: the integration config the deployed app (or a local
// stack) reads from its storage account. push validates first and refuses an invalid or empty document, leaving the
// running config untouched; the replaced document is kept under history/ (and as a blob version on Azure).
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describeChange, diffConfigDocuments } from '../../shared/config/configDiff';
import { checkConfigText, configuredFeatures } from '../../shared/config/liveConfig';
import { ConfigConflictError } from '../../shared/storage';
import { type CliCommand, parseCommandArgs, say, UsageError } from './command';
import { configStoreOf, resolveStorageTarget, targetOptions } from './target';

const TAKES_EFFECT = 'the app picks it up within INTEGRATION_CONFIG_REFRESH_SECONDS (30 s by default), no restart';

function readFileArg(file: string | undefined, command: string): { path: string; text: string } {
  if (!file) throw new UsageError(`config ${command} needs a file`);
  const path = resolve(file);
  try {
    return { path, text: readFileSync(path, 'utf8') };
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** Prints the verdict on a document; true when it may be pushed. */
function report(text: string, source: string, allowEmpty: boolean): boolean {
  const checked = checkConfigText(text, source);
  if (!checked.ok) {
    console.error(`${source} is invalid (${checked.problems.length} problem(s)):`);
    for (const problem of checked.problems) console.error(`  ${problem}`);
    return false;
  }
  const features = configuredFeatures(checked.config);
  if (checked.empty && !allowEmpty) {
    console.error(`${source} is valid but sets nothing: the app would do nothing (pass --allow-empty to mean it)`);
    return false;
  }
  say(`${source} is valid: ${features.length > 0 ? features.join(', ') : 'no features turned on'}`);
  return true;
}

export const configCommands: CliCommand[] = [
  {
    name: 'config',
    usage:
      'config validate <file> | show | diff <file> | push <file> [--allow-empty] | pull [--out <file>] [--version <name>] | history  [--account <storage>]',
    run: async (argv) => {
      const { values, positionals } = parseCommandArgs(argv, {
        ...targetOptions,
        'allow-empty': { type: 'boolean', default: false },
        out: { type: 'string' },
        version: { type: 'string' },
      });
      const [sub, file] = positionals;
      if (sub === 'validate') {
        const { path, text } = readFileArg(file, 'validate');
        return report(text, path, values['allow-empty']) ? 0 : 1;
      }
      if (!sub || !['show', 'diff', 'push', 'pull', 'history'].includes(sub)) {
        throw new UsageError(sub ? `unknown config command '${sub}'` : 'config needs a command');
      }
      const local = sub === 'diff' || sub === 'push' ? readFileArg(file, sub) : undefined;
      if (local && sub === 'push' && !report(local.text, local.path, values['allow-empty'])) {
        console.error('nothing was pushed: the running config is unchanged');
        return 1;
      }
      const target = resolveStorageTarget(values);
      const store = configStoreOf(target);
      say(`halo-bridge config: ${target.where}, ${target.configBlob}`);
      const current = await store.read();
      if (current === 'unchanged') throw new Error('unreachable');
      if (sub === 'history') {
        const versions = await store.history();
        if (versions.length === 0) say('no earlier versions');
        for (const version of versions)
          say(`${version.savedAt}  ${String(version.bytes).padStart(7)} B  ${version.name}`);
        return 0;
      }
      if (sub === 'pull') {
        const text = values.version ? await store.readVersion(values.version) : current?.text;
        if (text === undefined) {
          console.error(values.version ? `no version ${values.version} (see config history)` : 'no config pushed yet');
          return 1;
        }
        if (values.out) {
          writeFileSync(resolve(values.out), text);
          say(`written to ${values.out}`);
        } else process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
        return 0;
      }
      if (sub === 'show') {
        if (!current) {
          console.error(`no config at ${store.location}: push one with \`npm run cli -- config push <file>\``);
          return 1;
        }
        say(`etag ${current.etag}, last changed ${current.lastModified}`);
        const ok = report(current.text, 'the deployed config', false);
        process.stdout.write(current.text.endsWith('\n') ? current.text : `${current.text}\n`);
        return ok ? 0 : 1;
      }
      const changes = diffConfigDocuments(current ? safeParse(current.text) : {}, JSON.parse(local!.text));
      if (sub === 'diff') {
        if (!current) say('no config deployed yet: everything is new');
        if (changes.length === 0) say('no differences');
        for (const change of changes) say(describeChange(change));
        return 0;
      }
      if (current && changes.length === 0) {
        say('the deployed config is already this document: nothing pushed');
        return 0;
      }
      try {
        const written = await store.write(local!.text, current?.etag);
        say(`pushed ${changes.length} change(s); ${TAKES_EFFECT}`);
        for (const change of changes) say(`  ${describeChange(change)}`);
        if (written.previous)
          say(`previous version kept as ${written.previous} (config pull --version ${written.previous})`);
        return 0;
      } catch (error) {
        if (error instanceof ConfigConflictError) {
          console.error(`not pushed: ${error.message}`);
          return 1;
        }
        throw error;
      }
    },
  },
];

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}
