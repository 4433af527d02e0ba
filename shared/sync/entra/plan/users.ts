import type { CreateUserChange, FieldChange, UserBody, UserChange } from '../changes';
import { isRef } from '../changes';
import type { DirUser } from '../directory';
import { isEnabled, userLabel } from '../fieldValues';
import type { HaloUserRecord } from '../haloSnapshot';
import type { PlanIndex } from './context';
import { fieldWrites } from './fields';
import type { Placement } from './placement';

export interface UserPlanContext {
  readonly user: DirUser;
  readonly previous: DirUser | undefined;
  readonly placement: Placement & { site: NonNullable<Placement['site']> };
  readonly record: HaloUserRecord | undefined;
  readonly firstLink: boolean;
  readonly matchedBy?: string;
  readonly event: string;
}

export interface UserPlanResult {
  readonly change?: CreateUserChange | UserChange;
  readonly problems: string[];
  readonly notes: string[];
}

/** The user roles a user gets: its site mapping's, its groups', and the no-manager role when it has no manager. */
export function desiredUserRoles(user: DirUser, placement: Placement, index: PlanIndex): { id: number; why: string }[] {
  const { connection } = index.input;
  const out: { id: number; why: string }[] = [];
  const add = (id: number, why: string) => {
    if (!out.some((r) => r.id === id)) out.push({ id, why });
  };
  if (placement.site?.userRoleId !== undefined) add(placement.site.userRoleId, placement.site.label);
  const groups = index.groupsOf(user.id);
  for (const mapping of connection.groups.userRoles) {
    if (groups.has(mapping.group.trim())) add(mapping.roleId, `group "${mapping.group}"`);
  }
  if (connection.roles.noManagerUserRoleId !== undefined && !user.managerId) {
    add(connection.roles.noManagerUserRoleId, 'no manager in Entra');
  }
  return out;
}

/**
 * A user's desired state and the change that gets Halo there: mapped fields, its site (the first site mapping
 * that places it), its Entra object id, its user roles (added, never taken away) and whether it is active
 * (accountEnabled). A disabled Entra account is never created; a Halo user is only reactivated when Entra says so
 * (enabled again, or restored), never because it is simply inactive in Halo.
 */
export function planUser(ctx: UserPlanContext, index: PlanIndex): UserPlanResult {
  const { input } = index;
  const { user, record, placement } = ctx;
  const creating = record === undefined;
  const problems: string[] = [];
  const notes: string[] = [];
  const changes: FieldChange[] = [];
  const fields = fieldWrites(input.connection.fields.users, {
    user,
    previous: ctx.previous,
    directory: input.directory,
    previousDirectory: input.previous,
    current: (target) => (record ? userField(record, target) : undefined),
    creating,
    firstLink: ctx.firstLink,
  });
  const body: UserBody = { ...fields.values };
  if (fields.customfields.length > 0) body.customfields = fields.customfields;
  changes.push(...fields.changes);

  const site = placement.site.siteId;
  if (creating || isRef(site) || record?.site_id !== site) {
    body.site_id = site;
    changes.push({
      field: 'site_id',
      ...(record?.site_id !== undefined ? { from: String(record.site_id) } : {}),
      to: isRef(site) ? `new site "${placement.site.create?.name ?? ''}"` : String(site),
      why: placement.site.label,
    });
  }
  const oid = user.id.toLowerCase();
  if (creating || (record.azureoid ?? '').toLowerCase() !== oid) {
    if (creating || record.azureoid !== undefined || ctx.firstLink) {
      body.azureoid = user.id;
      if (!creating)
        changes.push({
          field: 'azureoid',
          from: record.azureoid,
          to: user.id,
          why: `linked (${ctx.matchedBy ?? 'azureoid'})`,
        });
    }
  }
  const roles = desiredUserRoles(user, placement, index);
  const currentRoles = record?.roleIds;
  const missing = roles.filter((r) => !(currentRoles ?? []).includes(r.id));
  if (missing.length > 0 && (creating || currentRoles !== undefined)) {
    const all = [...(currentRoles ?? []), ...missing.map((r) => r.id)];
    body.roles = all.map((id) => ({ id }));
    changes.push({
      field: 'roles',
      from: (currentRoles ?? []).map((id) => index.userRoleName(id)).join(', '),
      to: all.map((id) => index.userRoleName(id)).join(', '),
      why: missing.map((r) => `${index.userRoleName(r.id)}: ${r.why}`).join('; '),
    });
  } else if (missing.length > 0) {
    notes.push('its current user roles were not read: roles are left as they are');
  }

  const label = userLabel(user);
  if (creating) {
    if (!isEnabled(user)) {
      notes.push('disabled in Entra: no user is created');
      return { problems, notes };
    }
    return {
      change: {
        kind: 'createUser',
        resource: '/Users',
        oid: user.id,
        upn: label,
        body: { ...body, _oid: user.id },
        fields: changes,
        reason: `new user: ${placement.site.label}`,
      },
      problems,
      notes,
    };
  }

  let kind: UserChange['kind'] = 'updateUser';
  if (!isEnabled(user) && !record.inactive) {
    const guard = deactivationGuard(record, index);
    if (guard) notes.push(guard);
    else {
      body.inactive = true;
      kind = 'deactivateUser';
      changes.push({
        field: 'inactive',
        from: 'false',
        to: 'true',
        why: 'the account is disabled in Entra (accountEnabled = false)',
      });
    }
  } else if (isEnabled(user) && record.inactive) {
    const enabledAgain = ctx.previous !== undefined && !isEnabled(ctx.previous);
    if (enabledAgain || ctx.event === 'restored') {
      body.inactive = false;
      kind = 'reactivateUser';
      changes.push({
        field: 'inactive',
        from: 'true',
        to: 'false',
        why:
          ctx.event === 'restored'
            ? 'restored in Entra from the deleted users'
            : 'the account is enabled again in Entra',
      });
    } else {
      notes.push('inactive in Halo while enabled in Entra: left inactive (only a change in Entra reactivates)');
    }
  }
  if (changes.length === 0) return { problems, notes };
  const reason =
    kind === 'updateUser'
      ? `${ctx.firstLink ? `first link (${ctx.matchedBy}); ` : ''}${[...new Set(changes.map((c) => c.why))].join('; ')}`
      : (changes.find((c) => c.field === 'inactive')?.why ?? '');
  return {
    change: {
      kind,
      resource: '/Users',
      oid: user.id,
      upn: label,
      userId: record.id,
      body: { ...body, id: record.id },
      fields: changes,
      reason,
    },
    problems,
    notes,
  };
}

/** Why a user must not be made inactive (the General User, the keep-active field), or undefined. */
export function deactivationGuard(record: HaloUserRecord, index: PlanIndex): string | undefined {
  if (record.isGeneralUser) return 'the General User is never made inactive';
  const keep = index.input.connection.deactivation.keepActiveField;
  if (
    keep &&
    record.keepActiveValue !== undefined &&
    record.keepActiveValue.trim().toLowerCase() === keep.value.trim().toLowerCase()
  ) {
    return `kept active: its custom field ${keep.name} is "${keep.value}"`;
  }
  return undefined;
}

function userField(record: HaloUserRecord, target: string | { customFieldId: number }): string | undefined {
  if (typeof target !== 'string') return record.customfields?.[String(target.customFieldId)];
  if (target === 'name') return record.name;
  if (target === 'emailaddress') return record.emailaddress;
  return record.fields[target];
}
