// App Service Authentication for the operator console: people sign in with Entra ID at /.auth/login/aad, and the
// platform puts their principal (with their app roles) on each request as X-MS-CLIENT-PRINCIPAL, after removing any
// such header a caller sent. Unauthenticated requests still reach the app: the Halo webhook and the Graph
// notification endpoints keep their own checks, and the console refuses them itself (401 with where to sign in).
//
// The app registration is yours (Bicep cannot create one without the Graph extension): single-tenant, a Web
// redirect URI https://<app host>/.auth/login/aad/callback with ID tokens enabled, and two app roles with the
// values Console.Read and Console.Operate, assigned to people or groups under Enterprise applications. No client
// secret: sign-in uses the ID token only (App Service's implicit flow), so there is nothing to rotate.
param functionAppName string

@description('Application (client) id of the Entra app registration people sign in to the console with.')
param clientId string

@description('The Entra tenant people sign in from (defaults to the tenant of this deployment).')
param tenantId string = tenant().tenantId

resource functionApp 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

resource auth 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: functionApp
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
    }
    globalValidation: {
      // Never required by the platform: webhooks and Graph notifications arrive without a person signed in.
      requireAuthentication: false
      unauthenticatedClientAction: 'AllowAnonymous'
    }
    httpSettings: {
      requireHttps: true
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: clientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${tenantId}/v2.0'
        }
        validation: {
          allowedAudiences: [
            clientId
            'api://${clientId}'
          ]
        }
      }
    }
    login: {
      // The console needs who is signed in, not their tokens: keep none.
      tokenStore: {
        enabled: false
      }
    }
  }
}

output signInUrl string = 'https://${functionApp.properties.defaultHostName}/.auth/login/aad?post_login_redirect_uri=/api/console'
