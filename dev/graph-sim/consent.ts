// Consent as Entra and Microsoft Graph do it, for `npm run cli -- consent` and `check`:
//  - the partner admin's delegated sign-in: the device code flow, then a refresh token redeemed at each customer
//    tenant's token endpoint, which works only where a GDAP relationship exists (else AADSTS50020);
//  - service principals and app role assignments (`/servicePrincipals`, `appRoleAssignedTo`), gated by the partner
//    admin's GDAP roles in that tenant (Cloud Application Administrator to create the service principal, Privileged
//    Role Administrator to grant Microsoft Graph application permissions);
//  - for tenants set up here ("managed"), application permissions enforced on app-only calls, using the roles held when
//    the token was issued (as a real token's `roles` claim), and Exchange RBAC for Applications mailbox scopes.
// Tenants never set up here keep the simulator's plain consented / not consented behaviour.
import { randomBytes, randomUUID } from 'node:crypto';
import { entraError, findTenant } from './entra';
import { graphError, json, notFound, type Route, route, type SimRequest, type SimResponse } from './http';
import type { GraphStore, SimTenant } from './store';
import type { AccessTokenClaims, TokenIssuer } from './tokens';

export const MICROSOFT_GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
export const PARTNER_ADMIN_UPN = 'admin@partner.example';
export const GDAP_ROLES = {
  cloudApplicationAdministrator: 'Cloud Application Administrator',
  privilegedRoleAdministrator: 'Privileged Role Administrator',
} as const;
const ALL_GDAP_ROLES = Object.values(GDAP_ROLES);

/** Microsoft Graph's application permissions the simulator knows (ids are the simulator's own). */
const GRAPH_APP_ROLES = [
  'User.Read.All',
  'Domain.Read.All',
  'Organization.Read.All',
  'Directory.Read.All',
  'DelegatedAdminRelationship.Read.All',
  'Mail.ReadWrite',
  'Mail.Send',
  'DeviceManagementManagedDevices.Read.All',
  'GroupMember.Read.All',
  'LicenseAssignment.Read.All',
  'LicenseAssignment.ReadWrite.All',
].map((value, i) => ({
  id: `5b0e7a1c-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
  value,
  allowedMemberTypes: ['Application'],
  isEnabled: true,
  displayName: value,
}));

interface DelegatedClaims extends AccessTokenClaims {
  upn?: string;
  scp?: string;
}

export interface TenantAccessSetup {
  /** Whether the app's service principal exists already (default false: the tenant starts without consent). */
  readonly servicePrincipal?: boolean;
  /** Application permissions already granted (with a service principal). */
  readonly granted?: readonly string[];
  /** The partner admin's GDAP roles in this tenant (default both); null: no GDAP relationship at all. */
  readonly partnerRoles?: readonly string[] | null;
  /** Exchange RBAC for Applications: the only mailboxes app-only mail calls may open. */
  readonly mailScope?: readonly string[];
}

interface TenantAccess {
  appSpId?: string;
  graphSpId: string;
  assignments: { id: string; principalId: string; resourceId: string; appRoleId: string; createdSeconds: number }[];
  partnerRoles: readonly string[] | null;
  mailScope?: readonly string[];
}

export class ConsentSim {
  private readonly access = new Map<string, TenantAccess>();
  private readonly refreshTokens = new Map<string, { upn: string; clientId: string }>();
  private readonly deviceCodes = new Map<string, { pendingPolls: number; clientId: string; tenantId: string }>();

  constructor(
    private readonly store: GraphStore,
    private readonly issuer: TokenIssuer,
    private readonly now: () => number,
    private readonly baseUrl: () => string,
    private readonly partnerTenantId: () => string | undefined,
  ) {}

  /** Puts a tenant under consent management: from now on its app-only calls need the granted permissions. */
  setup(tenantId: string, setup: TenantAccessSetup = {}): void {
    const tenant = this.store.requireTenant(tenantId);
    const access: TenantAccess = {
      graphSpId: randomUUID(),
      assignments: [],
      partnerRoles: setup.partnerRoles === undefined ? ALL_GDAP_ROLES : setup.partnerRoles,
      ...(setup.mailScope ? { mailScope: setup.mailScope.map((m) => m.toLowerCase()) } : {}),
    };
    this.access.set(tenant.id.toLowerCase(), access);
    tenant.consented = Boolean(setup.servicePrincipal);
    if (setup.servicePrincipal) {
      access.appSpId = randomUUID();
      for (const permission of setup.granted ?? []) this.assign(access, access.appSpId, roleId(permission));
    }
  }

  /** The application permissions the app holds in a managed tenant. */
  granted(tenantId: string): string[] {
    const access = this.access.get(tenantId.toLowerCase());
    if (!access?.appSpId) return [];
    return access.assignments.filter((a) => a.principalId === access.appSpId).map((a) => roleValue(a.appRoleId));
  }

  /** Entra endpoints of the partner's sign-in: device code, and the device code and refresh token grants. */
  entra(tenantRef: string, path: string, form: URLSearchParams): SimResponse | undefined {
    if (path.endsWith('/oauth2/v2.0/devicecode')) {
      const tenant = findTenant(this.store, tenantRef);
      if (!tenant) return entraError(400, 'invalid_request', 90002, `Tenant '${tenantRef}' not found.`);
      const deviceCode = randomBytes(24).toString('base64url');
      const userCode = randomBytes(4).toString('hex').toUpperCase();
      this.deviceCodes.set(deviceCode, { pendingPolls: 1, clientId: form.get('client_id') ?? '', tenantId: tenant.id });
      const verificationUri = `${this.baseUrl()}/devicelogin`;
      return json(200, {
        user_code: userCode,
        device_code: deviceCode,
        verification_uri: verificationUri,
        expires_in: 900,
        interval: 1,
        message: `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${userCode} to authenticate.`,
      });
    }
    const grant = form.get('grant_type');
    if (grant === 'device_code' || grant === 'urn:ietf:params:oauth:grant-type:device_code') {
      const pending = this.deviceCodes.get(form.get('device_code') ?? '');
      if (!pending)
        return entraError(400, 'expired_token', 70020, 'The provided device code has expired or is unknown.');
      if (pending.pendingPolls-- > 0) {
        return entraError(
          400,
          'authorization_pending',
          70016,
          'OAuth 2.0 device flow error. Authorization is pending.',
        );
      }
      this.deviceCodes.delete(form.get('device_code') ?? '');
      return this.delegatedToken(pending.tenantId, PARTNER_ADMIN_UPN, pending.clientId, form.get('scope') ?? '');
    }
    if (grant === 'refresh_token') {
      const holder = this.refreshTokens.get(form.get('refresh_token') ?? '');
      if (!holder)
        return entraError(400, 'invalid_grant', 9002313, 'Invalid request. The refresh token is malformed or unknown.');
      const tenant = findTenant(this.store, tenantRef);
      if (!tenant) return entraError(400, 'invalid_request', 90002, `Tenant '${tenantRef}' not found.`);
      if (!this.hasGdap(tenant)) {
        return entraError(
          400,
          'invalid_grant',
          50020,
          `User account '${holder.upn}' from identity provider 'https://sts.windows.net/${this.partnerTenantId()}/' does not exist in tenant '${tenant.displayName}' and cannot access the application '${holder.clientId}' in that tenant.`,
        );
      }
      return this.delegatedToken(tenant.id, holder.upn, holder.clientId, form.get('scope') ?? '');
    }
    return undefined;
  }

  /** A delegated (partner admin) token: answers who it is, or why it may not call this tenant; undefined if app-only. */
  authenticateDelegated(claims: AccessTokenClaims): { tenantId: string } | { response: SimResponse } | undefined {
    const upn = (claims as DelegatedClaims).upn;
    if (!upn) return undefined;
    const tenant = this.store.tenant(claims.tid);
    if (!tenant) return { response: graphError(401, 'InvalidAuthenticationToken', 'Access token validation failure.') };
    return { tenantId: tenant.id };
  }

  /** Application permission and mailbox scope checks for app-only calls in managed tenants. */
  authorize(request: SimRequest): SimResponse | undefined {
    const access = this.access.get(request.tenantId.toLowerCase());
    const claims = this.claimsOf(request);
    if (!access || !claims || (claims as DelegatedClaims).upn) return undefined;
    const mailbox = /^\/users\/([^/]+)\/(messages|mailFolders|sendMail)/i.exec(request.path)?.[1];
    if (mailbox) return this.authorizeMailbox(access, request.tenantId, decodeURIComponent(mailbox));
    const needed = permissionFor(request.path);
    if (!needed) return undefined;
    const held = access.assignments
      .filter((a) => a.principalId === access.appSpId && a.createdSeconds <= claims.iat)
      .map((a) => roleValue(a.appRoleId));
    if (needed.some((permission) => held.includes(permission))) return undefined;
    return graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
  }

  routes(): Route[] {
    return [
      route('GET', '/servicePrincipals', 'servicePrincipals.list', (request) => {
        const denied = this.requireDelegated(request, []);
        if (denied) return denied;
        const access = this.accessOf(request.tenantId);
        const filter = /appId eq '([^']+)'/i.exec(request.query.get('$filter') ?? '')?.[1]?.toLowerCase();
        const all = this.servicePrincipals(access);
        return json(200, { value: filter ? all.filter((sp) => sp.appId.toLowerCase() === filter) : all });
      }),
      route('POST', '/servicePrincipals', 'servicePrincipals.create', (request) => {
        const denied = this.requireDelegated(request, [GDAP_ROLES.cloudApplicationAdministrator]);
        if (denied) return denied;
        const access = this.accessOf(request.tenantId);
        const appId = String((request.body as { appId?: unknown } | undefined)?.appId ?? '');
        if (appId.toLowerCase() !== this.store.app.clientId.toLowerCase()) {
          return graphError(400, 'Request_BadRequest', `The appId '${appId}' of the service principal is not valid.`);
        }
        if (access.appSpId) {
          return graphError(409, 'Request_MultipleObjectsWithSameKeyValue', 'The service principal already exists.');
        }
        access.appSpId = randomUUID();
        this.store.requireTenant(request.tenantId).consented = true;
        return json(
          201,
          this.servicePrincipals(access).find((sp) => sp.id === access.appSpId),
        );
      }),
      route('GET', '/servicePrincipals/:id/appRoleAssignments', 'appRoleAssignments.list', (request, params) => {
        const denied = this.requireDelegated(request, []);
        if (denied) return denied;
        const access = this.accessOf(request.tenantId);
        if (![access.appSpId, access.graphSpId].includes(params.id)) return notFound(params.id ?? '');
        return json(200, {
          value: access.assignments.filter((a) => a.principalId === params.id).map(publicAssignment),
        });
      }),
      route('POST', '/servicePrincipals/:id/appRoleAssignedTo', 'appRoleAssignedTo.create', (request, params) => {
        const denied = this.requireDelegated(request, [GDAP_ROLES.privilegedRoleAdministrator]);
        if (denied) return denied;
        const access = this.accessOf(request.tenantId);
        const body = (request.body ?? {}) as { principalId?: string; resourceId?: string; appRoleId?: string };
        if (params.id !== access.graphSpId || body.resourceId !== access.graphSpId) return notFound(params.id ?? '');
        if (!body.principalId || body.principalId !== access.appSpId) {
          return graphError(400, 'Request_BadRequest', 'Invalid value specified for property principalId.');
        }
        if (!GRAPH_APP_ROLES.some((role) => role.id === body.appRoleId)) {
          return graphError(400, 'Request_BadRequest', 'Permission being assigned was not found on application.');
        }
        if (access.assignments.some((a) => a.principalId === body.principalId && a.appRoleId === body.appRoleId)) {
          return graphError(409, 'Request_BadRequest', 'Permission being assigned already exists on the object.');
        }
        return json(201, publicAssignment(this.assign(access, body.principalId, body.appRoleId!)));
      }),
    ];
  }

  private assign(access: TenantAccess, principalId: string, appRoleId: string) {
    const assignment = {
      id: randomBytes(16).toString('base64url'),
      principalId,
      resourceId: access.graphSpId,
      appRoleId,
      createdSeconds: Math.floor(this.now() / 1000),
    };
    access.assignments.push(assignment);
    return assignment;
  }

  private authorizeMailbox(access: TenantAccess, tenantId: string, ref: string): SimResponse | undefined {
    if (!access.mailScope) return undefined;
    const address = this.store.findMailboxByAddress(ref)?.mailbox.address ?? this.addressOfUser(tenantId, ref);
    if (address && access.mailScope.includes(address.toLowerCase())) return undefined;
    return graphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
  }

  private addressOfUser(tenantId: string, ref: string): string | undefined {
    const user = this.store.tenant(tenantId)?.users.get(ref);
    return user ? String(user.mail ?? user.userPrincipalName ?? '') : ref.includes('@') ? ref : undefined;
  }

  private delegatedToken(tenantId: string, upn: string, clientId: string, scope: string): SimResponse {
    const iat = Math.floor(this.now() / 1000);
    const claims: DelegatedClaims = { tid: tenantId, appid: clientId, iat, exp: iat + 3599, upn, scp: scope };
    const refresh = `rt.${randomBytes(24).toString('base64url')}`;
    this.refreshTokens.set(refresh, { upn, clientId });
    const oid = 'a0a0a0a0-0000-4000-8000-00000000ad01';
    const idToken = [
      b64({ alg: 'none', typ: 'JWT' }),
      b64({
        aud: clientId,
        iss: `${this.baseUrl()}/${tenantId}/v2.0`,
        iat,
        nbf: iat,
        exp: iat + 3599,
        oid,
        sub: oid,
        tid: tenantId,
        preferred_username: upn,
        name: 'Partner Admin',
        ver: '2.0',
      }),
      '',
    ].join('.');
    return json(200, {
      token_type: 'Bearer',
      scope: scope
        .split(' ')
        .filter((s) => !['openid', 'profile', 'offline_access'].includes(s))
        .join(' '),
      expires_in: 3599,
      ext_expires_in: 3599,
      access_token: this.issuer.issue(claims),
      refresh_token: refresh,
      id_token: idToken,
      client_info: b64({ uid: oid, utid: this.partnerTenantId() ?? tenantId }),
    });
  }

  private hasGdap(tenant: SimTenant): boolean {
    const partner = this.partnerTenantId();
    if (partner && tenant.id.toLowerCase() === partner.toLowerCase()) return true;
    const access = this.access.get(tenant.id.toLowerCase());
    if (access) return access.partnerRoles !== null;
    const partnerTenant = partner ? this.store.tenant(partner) : undefined;
    return Boolean(partnerTenant?.customers.some((id) => id.toLowerCase() === tenant.id.toLowerCase()));
  }

  private requireDelegated(request: SimRequest, roles: readonly string[]): SimResponse | undefined {
    const claims = this.claimsOf(request) as DelegatedClaims | undefined;
    if (!claims?.upn) {
      return graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
    }
    const partner = this.partnerTenantId();
    if (partner && request.tenantId.toLowerCase() === partner.toLowerCase()) return undefined;
    const held = this.access.get(request.tenantId.toLowerCase())?.partnerRoles ?? ALL_GDAP_ROLES;
    if (roles.every((role) => held.includes(role))) return undefined;
    return graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
  }

  private accessOf(tenantId: string): TenantAccess {
    const key = tenantId.toLowerCase();
    let access = this.access.get(key);
    if (!access) {
      access = { graphSpId: randomUUID(), assignments: [], partnerRoles: ALL_GDAP_ROLES };
      this.access.set(key, access);
      // A tenant consented the simulator's plain way holds every non-mail permission (an admin consent of the app).
      if (this.store.tenant(tenantId)?.consented) {
        const appSpId = randomUUID();
        access.appSpId = appSpId;
        for (const role of GRAPH_APP_ROLES.filter((r) => !r.value.startsWith('Mail.'))) {
          access.assignments.push({
            id: randomUUID(),
            principalId: appSpId,
            resourceId: access.graphSpId,
            appRoleId: role.id,
            createdSeconds: 0,
          });
        }
      }
    }
    return access;
  }

  private servicePrincipals(access: TenantAccess) {
    const graph = {
      id: access.graphSpId,
      appId: MICROSOFT_GRAPH_APP_ID,
      displayName: 'Microsoft Graph',
      appRoles: GRAPH_APP_ROLES,
    };
    const app = access.appSpId
      ? [{ id: access.appSpId, appId: this.store.app.clientId, displayName: 'halo-bridge', appRoles: [] }]
      : [];
    return [graph, ...app];
  }

  private claimsOf(request: SimRequest): AccessTokenClaims | undefined {
    const token = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const claims = token ? this.issuer.verify(token, Math.floor(this.now() / 1000)) : 'invalid';
    return typeof claims === 'object' ? claims : undefined;
  }
}

function roleId(value: string): string {
  const role = GRAPH_APP_ROLES.find((r) => r.value === value);
  if (!role) throw new Error(`the simulator knows no Graph app role ${value}`);
  return role.id;
}

function roleValue(id: string): string {
  return GRAPH_APP_ROLES.find((r) => r.id === id)?.value ?? id;
}

/** The permissions (any one suffices) an app-only read needs; undefined for paths this module does not police. */
function permissionFor(path: string): string[] | undefined {
  const first = path.split('/')[1]?.toLowerCase();
  // A write: assigning licences (user-assignlicense: LicenseAssignment.ReadWrite.All is the least privilege).
  if (/^\/users\/[^/]+\/assignlicense$/i.test(path)) return ['LicenseAssignment.ReadWrite.All'];
  switch (first) {
    case 'users':
      return ['User.Read.All', 'Directory.Read.All'];
    case 'groups':
      return ['GroupMember.Read.All', 'Directory.Read.All'];
    case 'domains':
      return ['Domain.Read.All', 'Directory.Read.All'];
    case 'organization':
      return ['Organization.Read.All', 'Directory.Read.All'];
    case 'subscribedskus':
      return ['LicenseAssignment.Read.All', 'Organization.Read.All', 'Directory.Read.All'];
    case 'contracts':
      return ['Directory.Read.All'];
    case 'tenantrelationships':
      return ['DelegatedAdminRelationship.Read.All'];
    case 'devicemanagement':
      return ['DeviceManagementManagedDevices.Read.All'];
    default:
      return undefined;
  }
}

function publicAssignment(a: TenantAccess['assignments'][number]) {
  return {
    id: a.id,
    principalId: a.principalId,
    resourceId: a.resourceId,
    appRoleId: a.appRoleId,
    principalType: 'ServicePrincipal',
  };
}

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}
