// The storage account: shared key access disabled (identities only), and every queue, table and blob container
// the app uses. The lists mirror shared/storage/names.ts; test/unit/infra-*.test.ts keeps them in step.
param name string
param location string
param tags object
param workerGroups array

var flowQueues = ['halo-events', 'job-results', 'tenant-sync', 'entra-sync', 'intune-sync', 'mailbox-scan']
var jobQueues = [for group in workerGroups: 'jobs-${group}']
var queues = concat(flowQueues, jobQueues)
var poisonQueues = [for queue in queues: '${queue}-poison']
var tables = ['checkpoints', 'subscriptions', 'dedupe', 'jobs', 'runs', 'maillog', 'workers', 'queuefailures', 'halobudget', 'halousage']
var containers = ['reports', 'payloads', 'config', 'deploymentpackage']

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    defaultToOAuthAuthentication: true
    publicNetworkAccess: 'Enabled'
  }

  resource queueService 'queueServices' = {
    name: 'default'
    resource queue 'queues' = [for queueName in concat(queues, poisonQueues): { name: queueName }]
  }

  resource tableService 'tableServices' = {
    name: 'default'
    resource table 'tables' = [for tableName in tables: { name: tableName }]
  }

  resource blobService 'blobServices' = {
    name: 'default'
    // Every earlier integration config (config/integration.json) stays restorable, besides the app's own history/.
    properties: { isVersioningEnabled: true }
    resource container 'containers' = [for containerName in containers: { name: containerName }]
  }
}

// Large queue messages are offloaded to payloads/; their blobs are only needed until the message is handled.
resource payloadLifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'expire-offloaded-queue-payloads'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: { blobTypes: ['blockBlob'], prefixMatch: ['payloads/'] }
            actions: { baseBlob: { delete: { daysAfterModificationGreaterThan: 14 } } }
          }
        }
      ]
    }
  }
}

output name string = account.name
output queueEndpoint string = account.properties.primaryEndpoints.queue
output blobEndpoint string = account.properties.primaryEndpoints.blob
output deploymentContainerName string = 'deploymentpackage'
