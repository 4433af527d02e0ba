// The integration config as the running app sees it: loaded from a document that can change (the config blob),
// revalidated by ETag at most every `refreshMs`, swapped only for a valid document. An empty, missing, unreadable or
// invalid document is never silently accepted: `status()` says so, for /api/health and `npm run cli -- check`.
import { type IntegrationConfig, parseIntegrationConfig } from './integration';
import { ConfigError } from './zodIssues';

export interface ConfigDocumentReader {
  readonly location: string;
  read(ifNoneMatch?: string): Promise<{ text: string; etag: string; lastModified?: string } | 'unchanged' | undefined>;
}

export type ConfigState = 'ok' | 'empty' | 'missing' | 'invalid' | 'unreadable';

export interface ConfigStatus {
  readonly state: ConfigState;
  readonly source: string;
  /** ETag of the document in use (blob sources). */
  readonly etag?: string;
  /** When the document in use was saved (pushed), as its store says (blob sources). */
  readonly savedAt?: string;
  /** When this instance loaded it. */
  readonly loadedAt?: string;
  readonly checkedAt?: string;
  /** What is wrong, with JSON paths for an invalid document; empty when state is ok. */
  readonly problems: readonly string[];
  /** What the config in use turns on (mailboxes, scripts, ...). */
  readonly features: readonly string[];
}

export interface LiveConfig {
  current(): IntegrationConfig;
  status(): ConfigStatus;
  /** Checks the document for a change when the last check is older than the refresh interval. Never throws. */
  refreshIfDue(): Promise<void>;
}

/** The features a config turns on, in words; none means the app would do nothing useful. */
export function configuredFeatures(config: IntegrationConfig): string[] {
  const features: string[] = [];
  if (config.mailboxes.length > 0) features.push(`${config.mailboxes.length} mailbox(es)`);
  if (config.scripts.length > 0) features.push(`${config.scripts.length} script(s)`);
  if (config.tenantSync.enabled && (config.tenantSync.discovery !== 'listed' || config.tenantSync.include.length > 0)) {
    features.push(`tenant sync (${config.tenantSync.mode} mode)`);
  }
  if (config.workers.length > 0) features.push(`${config.workers.length} worker(s)`);
  return features;
}

/** An empty document sets nothing: `{}` (or only `$schema`) is valid but means "configure me", not "do nothing". */
export function isEmptyDocument(document: unknown): boolean {
  return (
    typeof document === 'object' &&
    document !== null &&
    !Array.isArray(document) &&
    Object.keys(document).filter((key) => key !== '$schema').length === 0
  );
}

/** Validates a config document's text: the config, or every problem with its JSON path. */
export function checkConfigText(
  text: string,
  source: string,
): { ok: true; config: IntegrationConfig; empty: boolean } | { ok: false; problems: string[] } {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [`$: is not valid JSON: ${(error as Error).message}`] };
  }
  try {
    return { ok: true, config: parseIntegrationConfig(document, source), empty: isEmptyDocument(document) };
  } catch (error) {
    if (error instanceof ConfigError) return { ok: false, problems: error.problems };
    throw error;
  }
}

const EMPTY_PROBLEM =
  'the integration config sets nothing (no mailboxes, scripts or tenants): push one with `npm run cli -- config push <file>`';

/** A config that never changes (INTEGRATION_CONFIG or INTEGRATION_CONFIG_PATH): still reported when empty. */
export function fixedConfig(config: IntegrationConfig, source: string, empty: boolean): LiveConfig {
  const status: ConfigStatus = {
    state: empty ? 'empty' : 'ok',
    source,
    problems: empty ? [EMPTY_PROBLEM] : [],
    features: configuredFeatures(config),
  };
  return { current: () => config, status: () => status, refreshIfDue: async () => {} };
}

export interface BlobConfigOptions {
  readonly refreshMs: number;
  readonly now?: () => number;
  /** Called when a new valid document replaced the one in use, or when a document was refused. */
  readonly onEvent?: (event: { kind: 'loaded' | 'refused' | 'unreadable' | 'missing'; status: ConfigStatus }) => void;
}

/** The config from a changeable document (the config blob). Until a valid document is read it is the empty config. */
export function liveBlobConfig(reader: ConfigDocumentReader, options: BlobConfigOptions): LiveConfig {
  const now = options.now ?? Date.now;
  let config = parseIntegrationConfig({});
  let etag: string | undefined;
  let checkedAtMs: number | undefined;
  let status: ConfigStatus = {
    state: 'missing',
    source: reader.location,
    problems: ['not read yet'],
    features: [],
  };
  let inFlight: Promise<void> | undefined;

  const set = (next: Partial<ConfigStatus> & Pick<ConfigStatus, 'state' | 'problems'>) => {
    status = {
      ...status,
      ...next,
      source: reader.location,
      checkedAt: new Date(now()).toISOString(),
      features: configuredFeatures(config),
    };
  };

  async function check(): Promise<void> {
    checkedAtMs = now();
    let read: Awaited<ReturnType<ConfigDocumentReader['read']>>;
    try {
      read = await reader.read(etag);
    } catch (error) {
      const state = etag ? status.state : 'unreadable';
      set({ state, problems: [`cannot read ${reader.location}: ${(error as Error).message}`] });
      options.onEvent?.({ kind: 'unreadable', status });
      return;
    }
    if (read === 'unchanged') {
      set({ state: status.state, problems: status.problems });
      return;
    }
    if (read === undefined) {
      // Deleted (or never pushed): keep running on the last good config, and say so.
      etag = undefined;
      set({
        state: 'missing',
        problems: [`no integration config at ${reader.location}: push one with \`npm run cli -- config push <file>\``],
      });
      options.onEvent?.({ kind: 'missing', status });
      return;
    }
    const checked = checkConfigText(read.text, reader.location);
    etag = read.etag;
    if (!checked.ok) {
      set({ state: 'invalid', problems: checked.problems });
      options.onEvent?.({ kind: 'refused', status });
      return;
    }
    config = checked.config;
    set({
      state: checked.empty ? 'empty' : 'ok',
      problems: checked.empty ? [EMPTY_PROBLEM] : [],
      etag: read.etag,
      ...(read.lastModified ? { savedAt: read.lastModified } : {}),
      loadedAt: new Date(now()).toISOString(),
    });
    options.onEvent?.({ kind: 'loaded', status });
  }

  return {
    current: () => config,
    status: () => status,
    refreshIfDue() {
      if (checkedAtMs !== undefined && now() - checkedAtMs < options.refreshMs) return inFlight ?? Promise.resolve();
      inFlight ??= check().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
  };
}
