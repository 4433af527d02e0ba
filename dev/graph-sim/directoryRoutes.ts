import type { SimContext } from './context';
import { type DeltaEntry, serveDelta } from './delta';
import { json, notFound, preferences, type Route, route, type SimRequest } from './http';
import { select } from './odata';
import { pagedList } from './paging';
import type { Json, SimTenant } from './store';

const shape = (item: Json, query: URLSearchParams) => select(item, query);

/** Entra directory, tenant facts and partner relationships (Intune devices: intune.ts). */
export function directoryRoutes(ctx: SimContext): Route[] {
  const list = (request: SimRequest, items: Json[], defaultTop = 100, maxTop = 999) =>
    pagedList(ctx.baseUrl(), request, items, { defaultTop, maxTop, shape });
  const tenant = (request: SimRequest) => ctx.tenantOf(request.tenantId);
  return [
    route('GET', '/organization', 'organization.list', (request) => {
      const t = tenant(request);
      return json(200, {
        value: [
          {
            id: t.id,
            displayName: t.displayName,
            verifiedDomains: t.domains.map((d) => ({ name: d.id, isDefault: d.isDefault, isInitial: d.isInitial })),
          },
        ],
      });
    }),
    route('GET', '/domains', 'domains.list', (request) => json(200, { value: tenant(request).domains })),
    route('GET', '/subscribedSkus', 'subscribedSkus.list', (request) =>
      json(200, { value: tenant(request).subscribedSkus }),
    ),
    route('GET', '/users', 'users.list', (request) => list(request, [...tenant(request).users.values()])),
    route('GET', '/users/delta', 'users.delta', (request) => {
      const t = tenant(request);
      return serveDelta(ctx.baseUrl(), request, {
        list: `${t.id}/users/delta`,
        epoch: ctx.store.deltaEpoch,
        expiry: ctx.deltaExpiry,
        currentSeq: ctx.store.currentSeq(),
        pageSize: pageSize(request, 100),
        supportsLatest: true,
        snapshot: () => [...t.users.values()].map((item, key) => ({ key, item })),
        changes: (since, until) => userChanges(t, since, until),
        shape: (item, fields) => select(item, new URLSearchParams(fields ? { $select: fields } : {})),
      });
    }),
    route('GET', '/users/:user', 'users.get', (request, params) => {
      const user = ctx.store.findUser(tenant(request), params.user!);
      return user ? json(200, select(user, request.query)) : notFound(params.user!);
    }),
    route('GET', '/groups', 'groups.list', (request) => list(request, tenant(request).groups)),
    route('GET', '/groups/:id/members', 'groups.members', (request, params) => {
      const t = tenant(request);
      const group = t.groups.find((g) => g.id === params.id);
      if (!group) return notFound(params.id!);
      const ids = Array.isArray(group.members) ? (group.members as string[]) : [];
      const members = ids.map((id) => t.users.get(id)).filter((u): u is Json => Boolean(u));
      return list(request, members);
    }),
    route('GET', '/contracts', 'contracts.list', (request) =>
      list(
        request,
        partnerCustomers(ctx, tenant(request)).map((c) => ({
          id: `contract-${c.id}`,
          contractType: 'ResellerPartner',
          customerId: c.id,
          defaultDomainName: defaultDomain(c),
          displayName: c.displayName,
        })),
      ),
    ),
    route('GET', '/tenantRelationships/delegatedAdminCustomers', 'delegatedAdminCustomers.list', (request) =>
      list(
        request,
        partnerCustomers(ctx, tenant(request)).map((c) => ({ id: c.id, tenantId: c.id, displayName: c.displayName })),
        300,
        300,
      ),
    ),
  ];
}

export function pageSize(request: SimRequest, fallback: number): number {
  const preferred = Number(preferences(request.headers).get('odata.maxpagesize'));
  return Number.isInteger(preferred) && preferred > 0 ? preferred : fallback;
}

function userChanges(tenant: SimTenant, since: number, until: number): DeltaEntry[] {
  const ids: string[] = [];
  for (const change of tenant.userChanges) {
    if (change.seq > since && change.seq <= until && !ids.includes(change.id)) ids.push(change.id);
  }
  return ids.map((id) => {
    const user = tenant.users.get(id);
    if (user) return { item: user };
    return { raw: { id, '@removed': { reason: tenant.removedUsers.get(id) ?? 'deleted' } } };
  });
}

function partnerCustomers(ctx: SimContext, partner: SimTenant): SimTenant[] {
  return partner.customers.map((id) => ctx.store.tenant(id)).filter((t): t is SimTenant => Boolean(t));
}

function defaultDomain(tenant: SimTenant): string {
  return String((tenant.domains.find((d) => d.isDefault) ?? tenant.domains[0])?.id ?? '');
}
