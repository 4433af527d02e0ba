export * from './keyVaultSecretProvider';
export * from './localSecretProvider';
export * from './secretProvider';
