// The partner admin's Graph tokens for every customer tenant from one device-code sign-in (GDAP). MSAL Node is used
// directly, not @azure/identity's DeviceCodeCredential: identity 4.13's silent path drops the requested tenant (its
// getTokenSilent passes no authority), so getToken(scope, { tenantId: customer }) hands back the partner tenant's
// token. MSAL's acquireTokenSilent with the customer's authority (and tenant) redeems the refresh token there.
import { type AccountInfo, PublicClientApplication } from '@azure/msal-node';

export interface PartnerAdminOptions {
  readonly clientId: string;
  readonly partnerTenantId: string;
  readonly authorityHost: string;
  /** Shows the "open … and enter the code …" message. */
  readonly prompt: (message: string) => void;
}

const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

export function partnerAdminTokens(options: PartnerAdminOptions): (tenantId: string) => Promise<string> {
  const host = options.authorityHost.replace(/\/$/, '');
  const app = new PublicClientApplication({
    auth: {
      clientId: options.clientId,
      authority: `${host}/${options.partnerTenantId}`,
      knownAuthorities: [new URL(host).host],
    },
  });
  let account: Promise<AccountInfo> | undefined;
  const signIn = () => {
    account ??= app
      .acquireTokenByDeviceCode({
        scopes: [GRAPH_SCOPE],
        deviceCodeCallback: (answer) => options.prompt(answer.message),
      })
      .then((result) => {
        if (!result?.account) throw new Error('the device code sign-in returned no account');
        return result.account;
      });
    account.catch(() => {
      account = undefined;
    });
    return account;
  };
  return async (tenantId) => {
    // MSAL looks the cached token up by the account's tenant before the authority's, so name the customer tenant
    // there too: the cache then misses and the refresh token is redeemed at that tenant's token endpoint.
    const result = await app.acquireTokenSilent({
      account: { ...(await signIn()), tenantId },
      scopes: [GRAPH_SCOPE],
      authority: `${host}/${tenantId}`,
    });
    return result.accessToken;
  };
}
