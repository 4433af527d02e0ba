import type { HaloSimulator } from '../../dev/halo-sim';

/** A bearer token from the Halo simulator's authorisation server (client credentials, scope all). */
export async function haloSimulatorToken(sim: HaloSimulator): Promise<string> {
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: sim.clientId,
    client_secret: sim.clientSecret,
    scope: 'all',
  });
  const response = await fetch(`${sim.authUrl}/token`, { method: 'POST', body: form });
  return ((await response.json()) as { access_token: string }).access_token;
}
