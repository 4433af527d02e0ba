// A hybrid worker's identity (an Azure Arc-enabled server's managed identity, or an Entra app's service
// principal) may only work its own group's jobs queue and add results to job-results: nothing else in the account.
param storageAccountName string
param principalId string
param workerGroup string

// Queue Data Contributor at the scope of one queue: receive, renew the lease (update visibility) and delete.
// Message Processor would be narrower but cannot update a message's visibility, which the worker needs while a
// long script runs.
var queueDataContributor = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
var queueMessageSender = 'c6a89b2d-59bc-44d0-9896-0f6e12d7b80a'

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName

  resource queueService 'queueServices' existing = {
    name: 'default'

    resource jobsQueue 'queues' existing = {
      name: 'jobs-${workerGroup}'
    }

    resource resultsQueue 'queues' existing = {
      name: 'job-results'
    }
  }
}

resource jobsAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage::queueService::jobsQueue.id, principalId, queueDataContributor)
  scope: storage::queueService::jobsQueue
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', queueDataContributor)
  }
}

resource resultsAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage::queueService::resultsQueue.id, principalId, queueMessageSender)
  scope: storage::queueService::resultsQueue
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', queueMessageSender)
  }
}
