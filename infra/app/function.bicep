// The Function App on Flex Consumption (Node 22), running as the user-assigned identity. Static secrets are
// Key Vault references resolved by that identity; nothing secret is a plain app setting.
param name string
param planName string
param location string
param tags object
param identityId string
param identityClientId string
param storageAccountName string
param deploymentContainerName string
param applicationInsightsConnectionString string
param instanceMemoryMB int
param maximumInstanceCount int
param keyVaultName string
param keyVaultUri string
param haloBaseUrl string
param haloTenant string
param haloClientId string
param haloRateLimitRequests int
param haloWebhookUsername string
param graphClientId string
param graphHomeTenantId string
@description('Always-ready instances for the HTTP functions (0 = scale from zero; see the README for the cost).')
param alwaysReadyHttpInstances int

func kvRef(vault string, secret string) string => '@Microsoft.KeyVault(VaultName=${vault};SecretName=${secret})'

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { tier: 'FlexConsumption', name: 'FC1' }
  properties: { reserved: true }
}

var baseSettings = {
  AzureWebJobsStorage__accountName: storage.name
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  AZURE_CLIENT_ID: identityClientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
  KEY_VAULT_URL: keyVaultUri
  HALO_BASE_URL: haloBaseUrl
  HALO_CLIENT_ID: haloClientId
  HALO_CLIENT_SECRET: kvRef(keyVaultName, 'halo-client-secret')
  HALO_RATE_LIMIT_REQUESTS: string(haloRateLimitRequests)
  HALO_WEBHOOK_USERNAME: haloWebhookUsername
  HALO_WEBHOOK_PASSWORD: kvRef(keyVaultName, 'halo-webhook-password')
  JOB_SIGNING_KEY_SECRET_NAME: 'job-signing-key'
  // The config lives in this blob, pushed with `npm run cli -- config push`; provisioning never writes it.
  INTEGRATION_CONFIG_BLOB: 'config/integration.json'
}
var haloTenantSettings = empty(haloTenant) ? {} : { HALO_TENANT: haloTenant }
var graphSettings = empty(graphClientId)
  ? {}
  : {
      GRAPH_CLIENT_ID: graphClientId
      GRAPH_HOME_TENANT_ID: graphHomeTenantId
      GRAPH_CLIENT_SECRET: kvRef(keyVaultName, 'graph-client-secret')
    }

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  // azd deploys the code to the one resource tagged with the service name (azure.yaml: services.api).
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
        alwaysReady: alwaysReadyHttpInstances > 0 ? [{ name: 'http', instanceCount: alwaysReadyHttpInstances }] : []
      }
      runtime: { name: 'node', version: '22' }
    }
  }

  resource appSettings 'config' = {
    name: 'appsettings'
    // The real host name (regional suffixes exist), not one built from the app's name.
    properties: union(
      baseSettings,
      { PUBLIC_BASE_URL: 'https://${functionApp.properties.defaultHostName}' },
      haloTenantSettings,
      graphSettings
    )
  }
}

output name string = functionApp.name
output uri string = 'https://${functionApp.properties.defaultHostName}'
