import {
  ClientCertificateCredential,
  ClientSecretCredential,
  type ClientSecretCredentialOptions,
  ManagedIdentityCredential,
  type TokenCredential,
} from '@azure/identity';

export type GraphCredentialOptions =
  | { readonly kind: 'secret'; readonly secret: string }
  | { readonly kind: 'certificate'; readonly pem: string }
  | { readonly kind: 'managedIdentity'; readonly clientId?: string };

const MICROSOFT_AUTHORITIES = [
  'login.microsoftonline.com',
  'login.microsoftonline.us',
  'login.chinacloudapi.cn',
  'login.partner.microsoftonline.cn',
];

/** Instance discovery only works against Microsoft's own authorities; anything else (a simulator) must skip it. */
export function isMicrosoftAuthority(authorityHost: string): boolean {
  return MICROSOFT_AUTHORITIES.includes(new URL(authorityHost).hostname.toLowerCase());
}

/** The credential for one tenant. A managed identity only exists in the home tenant. */
export function credentialForTenant(options: {
  tenantId: string;
  homeTenantId: string;
  clientId: string;
  credential: GraphCredentialOptions;
  authorityHost: string;
  /** Extra pipeline policies of the credential's HTTP client (e.g. a TokenEndpointWatch). */
  additionalPolicies?: ClientSecretCredentialOptions['additionalPolicies'];
}): TokenCredential {
  const { tenantId, clientId, credential, authorityHost } = options;
  const common = {
    authorityHost,
    disableInstanceDiscovery: !isMicrosoftAuthority(authorityHost),
    // The HTTP pipeline would sleep whatever Retry-After says (no cap) before MSAL even sees the answer: the
    // token cache (tokenCache.ts) does the retrying instead, within a bound, or says when to come back.
    retryOptions: { maxRetries: 0 },
    ...(options.additionalPolicies ? { additionalPolicies: options.additionalPolicies } : {}),
  };
  switch (credential.kind) {
    case 'secret':
      return new ClientSecretCredential(tenantId, clientId, credential.secret, common);
    case 'certificate':
      return new ClientCertificateCredential(tenantId, clientId, { certificate: credential.pem }, common);
    case 'managedIdentity':
      if (tenantId.toLowerCase() !== options.homeTenantId.toLowerCase()) {
        throw new Error(
          `A managed identity can only call Graph in its home tenant ${options.homeTenantId}, not ${tenantId}: use a client secret or certificate for customer tenants`,
        );
      }
      // The identity library's own retries stay on here: the managed identity endpoint needs them at start-up.
      return new ManagedIdentityCredential({
        ...(credential.clientId ? { clientId: credential.clientId } : {}),
        ...(options.additionalPolicies ? { additionalPolicies: options.additionalPolicies } : {}),
      });
  }
}
