// halo-bridge: the whole system in one resource group. Deployed by `azd up` (azure.yaml) or
// `az deployment sub create -f infra/main.bicep -p infra/main.parameters.manual.json` (fill it in first).
targetScope = 'subscription'

@minLength(1)
@maxLength(40)
@description('Name of the environment (azd env name); used to name every resource.')
param environmentName string

@minLength(1)
@description('Azure region for every resource (Flex Consumption must be available there).')
param location string

@description('Object id of the person or pipeline deploying; gets Key Vault Secrets Officer to store the secrets. Empty to skip.')
param principalId string = ''

@description('Resource group name; defaults to rg-<environmentName>.')
param resourceGroupName string = ''

@allowed([512, 2048, 4096])
@description('Memory per Function App instance (MB).')
param functionInstanceMemoryMB int = 2048

@minValue(1)
@maxValue(1000)
@description('Upper bound on Function App instances. Keep it small: every instance adds pressure on Halo\'s rate limit.')
param functionMaximumInstanceCount int = 40

@description('Your Halo URL, e.g. https://yourcompany.halopsa.com')
param haloBaseUrl string

@description('Hosted Halo tenant name (Configuration > Integrations > Halo API). Empty for self-hosted Halo.')
param haloTenant string = ''

@description('Client ID of the Halo API application (Client ID and Secret (Services)).')
param haloClientId string

@description('Requests allowed per rolling window by your Halo instance (hosted Halo: 300 per 5 minutes).')
param haloRateLimitRequests int = 300

@description('User name Halo sends with Basic authentication on its webhooks.')
param haloWebhookUsername string = 'halo-webhook'

@description('Application (client) id of the Entra app used for Microsoft Graph. Empty to deploy without Graph features.')
param graphClientId string = ''

@description('Your (partner) tenant id, home of the Entra app.')
param graphHomeTenantId string = ''

@description('Hybrid worker groups; each gets its own jobs queue jobs-<group>.')
param workerGroups array = ['default']

@description('Hybrid worker identities: [{ principalId, group }]. Each may only process jobs-<group> and add to job-results.')
param workerPrincipals array = []

@minValue(0)
@maxValue(10)
@description('Always-ready instances for the HTTP functions, so Graph\'s 3-second answer rule holds on cold starts. Each costs a baseline around the clock (README: Deploy to Azure).')
param alwaysReadyHttpInstances int = 0

@description('Application (client) id of the Entra app people sign in to the operator console with (app roles Console.Read, Console.Operate). Empty: no sign-in, and the console refuses every request.')
param consoleAuthClientId string = ''

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName, app: 'halo-bridge' }
var functionAppName = '${abbrs.functionApp}${resourceToken}'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: !empty(resourceGroupName) ? resourceGroupName : '${abbrs.resourceGroup}${environmentName}'
  location: location
  tags: tags
}

module identity 'app/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: '${abbrs.managedIdentity}${resourceToken}'
    location: location
    tags: tags
  }
}

module monitoring 'app/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: '${abbrs.logAnalytics}${resourceToken}'
    applicationInsightsName: '${abbrs.applicationInsights}${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'app/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: '${abbrs.storageAccount}${resourceToken}'
    location: location
    tags: tags
    workerGroups: workerGroups
  }
}

module keyVault 'app/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    name: '${abbrs.keyVault}${resourceToken}'
    location: location
    tags: tags
  }
}

module functionApp 'app/function.bicep' = {
  name: 'function'
  scope: rg
  params: {
    name: functionAppName
    planName: '${abbrs.appServicePlan}${resourceToken}'
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerName: storage.outputs.deploymentContainerName
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    instanceMemoryMB: functionInstanceMemoryMB
    maximumInstanceCount: functionMaximumInstanceCount
    keyVaultName: keyVault.outputs.name
    keyVaultUri: keyVault.outputs.uri
    haloBaseUrl: haloBaseUrl
    haloTenant: haloTenant
    haloClientId: haloClientId
    haloRateLimitRequests: haloRateLimitRequests
    haloWebhookUsername: haloWebhookUsername
    graphClientId: graphClientId
    graphHomeTenantId: graphHomeTenantId
    alwaysReadyHttpInstances: alwaysReadyHttpInstances
  }
}

module access 'app/access.bicep' = {
  name: 'access'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    keyVaultName: keyVault.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    appPrincipalId: identity.outputs.principalId
    deployerPrincipalId: principalId
  }
}

module consoleAuth 'app/auth.bicep' = if (!empty(consoleAuthClientId)) {
  name: 'console-auth'
  scope: rg
  params: {
    functionAppName: functionApp.outputs.name
    clientId: consoleAuthClientId
  }
}

module workerAccess 'app/worker-access.bicep' = [
  for worker in workerPrincipals: {
    name: 'worker-access-${worker.group}-${uniqueString(worker.principalId)}'
    scope: rg
    params: {
      storageAccountName: storage.outputs.name
      principalId: worker.principalId
      workerGroup: worker.group
    }
  }
]

output AZURE_LOCATION string = location
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output KEY_VAULT_NAME string = keyVault.outputs.name
output KEY_VAULT_URL string = keyVault.outputs.uri
output STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_SUBSCRIPTION_ID string = subscription().subscriptionId
output QUEUE_SERVICE_URL string = storage.outputs.queueEndpoint
output FUNCTION_URL string = functionApp.outputs.uri
output HALO_WEBHOOK_URL string = '${functionApp.outputs.uri}/api/halo/webhook'
output GRAPH_NOTIFICATION_URL string = '${functionApp.outputs.uri}/api/graph/notifications'
output GRAPH_LIFECYCLE_URL string = '${functionApp.outputs.uri}/api/graph/lifecycle'
output CONSOLE_URL string = '${functionApp.outputs.uri}/api/console'
