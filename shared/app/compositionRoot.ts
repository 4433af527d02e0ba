import { DefaultAzureCredential } from '@azure/identity';
import { loadAppSettings } from '../config/appSettings';
import { readIntegrationConfig } from '../config/integration';
import type { LogEntry } from '../runtime/logger';
import { buildContainer } from './buildContainer';
import type { Container } from './container';

/**
 * The one place that reads process.env: builds the Container for the real Functions host from the app settings.
 * Invalid settings fail the first invocation with every problem listed by setting name (never a value).
 */
let built: Promise<Container> | undefined;

export function rootContainer(): Promise<Container> {
  built ??= Promise.resolve().then(buildFromEnvironment);
  built.catch(() => {
    built = undefined;
  });
  return built;
}

function buildFromEnvironment(): Container {
  const settings = loadAppSettings(process.env);
  const config = readIntegrationConfig({ inline: settings.INTEGRATION_CONFIG, path: settings.INTEGRATION_CONFIG_PATH });
  const clientId = settings.AZURE_CLIENT_ID ?? settings.AzureWebJobsStorage__clientId;
  const credential = new DefaultAzureCredential(clientId ? { managedIdentityClientId: clientId } : {});
  return buildContainer(settings, config, { sink: jsonLineSink, azureCredential: () => credential });
}

/** One JSON line per entry on stdout/stderr: the Functions host forwards both to Application Insights. */
function jsonLineSink(entry: LogEntry): void {
  const line = JSON.stringify({ time: entry.time, level: entry.level, message: entry.message, ...entry.fields });
  if (entry.level === 'error' || entry.level === 'warn') console.error(line);
  else console.log(line);
}
