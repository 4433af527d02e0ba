import { DefaultAzureCredential } from '@azure/identity';
import { loadAppSettings } from '../config/appSettings';
import type { LiveConfig } from '../config/liveConfig';
import type { LogEntry } from '../runtime/logger';
import { buildContainer } from './buildContainer';
import type { Container } from './container';
import { integrationConfigFor } from './integrationConfigFor';

/**
 * The one place that reads process.env: builds the Container for the real Functions host from the app settings.
 * Invalid settings fail the first invocation with every problem listed by setting name (never a value).
 * With INTEGRATION_CONFIG_BLOB, each invocation first revalidates the config blob's ETag when the last check is older
 * than INTEGRATION_CONFIG_REFRESH_SECONDS, so a pushed config takes effect within that time, without a restart.
 */
let built: Promise<{ container: Container; config: LiveConfig }> | undefined;

export async function rootContainer(): Promise<Container> {
  built ??= Promise.resolve().then(buildFromEnvironment);
  built.catch(() => {
    built = undefined;
  });
  const root = await built;
  await root.config.refreshIfDue();
  return root.container;
}

function buildFromEnvironment(): { container: Container; config: LiveConfig } {
  const settings = loadAppSettings(process.env);
  const clientId = settings.AZURE_CLIENT_ID ?? settings.AzureWebJobsStorage__clientId;
  const credential = new DefaultAzureCredential(clientId ? { managedIdentityClientId: clientId } : {});
  let container: Container | undefined;
  const config = integrationConfigFor(settings, () => {
    if (!container) throw new Error('the container is not built yet');
    return container;
  });
  container = buildContainer(settings, config, { sink: jsonLineSink, azureCredential: () => credential });
  return { container, config };
}

/** One JSON line per entry on stdout/stderr: the Functions host forwards both to Application Insights. */
function jsonLineSink(entry: LogEntry): void {
  const line = JSON.stringify({ time: entry.time, level: entry.level, message: entry.message, ...entry.fields });
  if (entry.level === 'error' || entry.level === 'warn') console.error(line);
  else console.log(line);
}
