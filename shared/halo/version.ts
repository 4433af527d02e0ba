import packageJson from '../../package.json';

export const HALO_BRIDGE_VERSION: string = packageJson.version;
export const DEFAULT_USER_AGENT = `halo-bridge/${HALO_BRIDGE_VERSION}`;
