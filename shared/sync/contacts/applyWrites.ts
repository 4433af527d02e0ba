import type { HaloClient, HaloClientWrite, HaloSnapshot, HaloUser, HaloUserWrite } from './types';
import type { HaloWriteBatch } from './writes';

/**
 * What Halo does with our write batches, on a snapshot: a body with an id updates only the fields it sends
 * (`azure_tenants` is replaced as a whole), a body without one creates a record with the next id. For tests and
 * the benchmark (plan → apply → plan again must find nothing), never for production writes.
 */
export function applyWrites(halo: HaloSnapshot, batches: readonly HaloWriteBatch[]): HaloSnapshot {
  const clients = halo.clients.map((c) => ({ ...c, azure_tenants: c.azure_tenants.map((t) => ({ ...t })) }));
  const users = halo.users.map((u) => ({ ...u, customfields: [...u.customfields] }));
  let nextUserId = users.reduce((max, u) => Math.max(max, u.id), 0) + 1;
  for (const batch of batches) {
    for (const body of batch.bodies) {
      if (batch.resource === '/Client') applyClient(clients, body as HaloClientWrite);
      else if (body.id === undefined) users.push(createdUser(nextUserId++, body as HaloUserWrite));
      else applyUser(users, body as HaloUserWrite & { id: number });
    }
  }
  return { clients, sites: halo.sites, users };
}

function applyClient(clients: HaloClient[], body: HaloClientWrite): void {
  const client = clients.find((c) => c.id === body.id);
  if (!client) throw new Error(`/Client: no company ${body.id}`);
  client.azure_tenants = body.azure_tenants.map((t) => ({ ...t }));
}

function applyUser(users: HaloUser[], body: HaloUserWrite & { id: number }): void {
  const user = users.find((u) => u.id === body.id);
  if (!user) throw new Error(`/Users: no contact ${body.id}`);
  Object.assign(user, body);
}

function createdUser(id: number, body: HaloUserWrite): HaloUser {
  if (body.client_id === undefined) throw new Error('/Users: a new contact needs client_id');
  return {
    id,
    client_id: body.client_id,
    site_id: body.site_id,
    name: body.name ?? '',
    firstname: body.firstname ?? '',
    surname: body.surname ?? '',
    title: body.title ?? '',
    emailaddress: body.emailaddress ?? '',
    email2: body.email2 ?? '',
    email3: body.email3 ?? '',
    phonenumber: body.phonenumber ?? '',
    mobilenumber: body.mobilenumber ?? '',
    fax: body.fax ?? '',
    azureoid: body.azureoid ?? '',
    inactive: body.inactive ?? false,
    customfields: [],
  };
}
