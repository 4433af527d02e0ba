import type { SimContext } from './context';
import { updateUser } from './directory';
import { badRequest, json, notFound, type Route, route } from './http';
import type { Json } from './store';

/**
 * `POST /users/{id}/assignLicense` (entra-intune.md §A3): both `addLicenses` and `removeLicenses` are required (may
 * be empty); a licence can only be added to a user with a `usageLocation` (the message CIPP#783 shows); a sku the
 * tenant does not subscribe to, a subscription with no free seat, and removing a licence the user does not have are
 * refused with 400 (their exact texts are unknown: ours are marked so). The user's `assignedLicenses` change through
 * the directory history, so that the next users delta brings the user back; `consumedUnits` follow.
 */
export function licenceRoutes(ctx: SimContext): Route[] {
  return [
    route('POST', '/users/:user/assignLicense', 'users.assignLicense', (request, params) => {
      const tenant = ctx.tenantOf(request.tenantId);
      const user = ctx.store.findUser(tenant, params.user!);
      if (!user) return notFound(params.user!);
      const body = (request.body ?? {}) as { addLicenses?: unknown; removeLicenses?: unknown };
      if (!Array.isArray(body.addLicenses) || !Array.isArray(body.removeLicenses)) {
        return badRequest(
          "Invalid value specified for property 'addLicenses' or 'removeLicenses' of resource 'User'.",
          'Request_BadRequest',
        );
      }
      const adds = (body.addLicenses as { skuId?: unknown }[]).map((l) => String(l?.skuId ?? '').toLowerCase());
      const removes = (body.removeLicenses as unknown[]).map((s) => String(s).toLowerCase());
      const skus = new Map(tenant.subscribedSkus.map((s) => [String(s.skuId).toLowerCase(), s]));
      const assigned = ((user.assignedLicenses as { skuId: string }[] | undefined) ?? []).map((l) => ({
        ...l,
        skuId: String(l.skuId).toLowerCase(),
      }));
      const has = (skuId: string) => assigned.some((l) => l.skuId === skuId);
      if (adds.length > 0 && !user.usageLocation) {
        return badRequest(
          'License assignment cannot be done for user with invalid usage location.',
          'Request_BadRequest',
        );
      }
      for (const skuId of [...adds, ...removes]) {
        if (!skus.has(skuId)) {
          // Text unknown (entra-intune.md §C.6).
          return badRequest(`License ${skuId} does not correspond to a valid company License.`, 'Request_BadRequest');
        }
      }
      for (const skuId of removes) {
        if (!has(skuId))
          return badRequest(`User does not have a corresponding license ${skuId}.`, 'Request_BadRequest');
      }
      for (const skuId of adds) {
        if (has(skuId)) continue;
        const sku = skus.get(skuId)!;
        const enabled = Number((sku.prepaidUnits as Json | undefined)?.enabled ?? 0);
        if (Number(sku.consumedUnits ?? 0) >= enabled) {
          return badRequest(`Subscription ${skuId} has no more available licenses.`, 'Request_BadRequest');
        }
      }
      const next = [
        ...assigned.filter((l) => !removes.includes(l.skuId)),
        ...adds.filter((s) => !has(s)).map((skuId) => ({ skuId, disabledPlans: [] })),
      ];
      for (const skuId of adds) if (!has(skuId)) count(skus.get(skuId)!, +1);
      for (const skuId of removes) count(skus.get(skuId)!, -1);
      updateUser(ctx.store, tenant.id, { id: String(user.id), assignedLicenses: next });
      return json(200, { ...user, assignedLicenses: next });
    }),
  ];
}

function count(sku: Json, by: number): void {
  sku.consumedUnits = Math.max(0, Number(sku.consumedUnits ?? 0) + by);
}
