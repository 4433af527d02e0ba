import { resolve } from 'node:path';
import type { AppSettings } from '../config/appSettings';
import { readIntegrationConfig } from '../config/integration';
import { fixedConfig, type LiveConfig, liveBlobConfig } from '../config/liveConfig';
import { blobServiceClient, configDocumentStore, parseBlobLocation } from '../storage';
import type { Container } from './container';

/**
 * The integration config the settings name: the config blob (INTEGRATION_CONFIG_BLOB, re-read on change), or a fixed
 * document (INTEGRATION_CONFIG inline, INTEGRATION_CONFIG_PATH file, relative to `baseDir`). `container` is called
 * only when the blob is read, so the config can be handed to the Container it reads its storage from.
 */
export function integrationConfigFor(settings: AppSettings, container: () => Container, baseDir = '.'): LiveConfig {
  const location = settings.INTEGRATION_CONFIG_BLOB ? parseBlobLocation(settings.INTEGRATION_CONFIG_BLOB) : undefined;
  if (!location) {
    const path = settings.INTEGRATION_CONFIG_PATH ? resolve(baseDir, settings.INTEGRATION_CONFIG_PATH) : undefined;
    const config = readIntegrationConfig({ inline: settings.INTEGRATION_CONFIG, path });
    const source = settings.INTEGRATION_CONFIG ? 'INTEGRATION_CONFIG' : (path ?? 'no INTEGRATION_CONFIG_BLOB set');
    const empty = !path && (settings.INTEGRATION_CONFIG ?? '{}').trim() === '{}';
    return fixedConfig(config, source, empty);
  }
  let store: ReturnType<typeof configDocumentStore> | undefined;
  const blobStore = () => {
    store ??= configDocumentStore(
      blobServiceClient(container().storage).getContainerClient(location.container),
      location.blob,
    );
    return store;
  };
  return liveBlobConfig(
    { location: `${location.container}/${location.blob}`, read: (etag) => blobStore().read(etag) },
    {
      refreshMs: settings.INTEGRATION_CONFIG_REFRESH_SECONDS * 1000,
      onEvent: ({ kind, status }) => {
        const log = container().log.child({ component: 'config' });
        const fields = { source: status.source, etag: status.etag, state: status.state, problems: status.problems };
        if (kind === 'loaded') log.info('integration config loaded', { ...fields, features: status.features });
        else log.error(`integration config ${kind}: the app keeps the last valid config`, fields);
      },
    },
  );
}
