import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

// The simulator's seed: one registered (multitenant) app and a list of tenants. Loose on purpose: any extra user
// or message property is kept and served as is, so tests can add what their flow reads.
const record = z.record(z.string(), z.unknown());

const userSchema = z.looseObject({ id: z.string(), userPrincipalName: z.string(), displayName: z.string() });
const messageSeedSchema = z.looseObject({
  id: z.string().optional(),
  folder: z.string().default('Inbox'),
  subject: z.string().default(''),
  from: z.string(),
  fromName: z.string().optional(),
  to: z.array(z.string()).default([]),
  body: z.string().default(''),
  bodyType: z.enum(['text', 'html']).default('text'),
  receivedDateTime: z.string(),
  isRead: z.boolean().default(false),
  internetMessageId: z.string().optional(),
  attachments: z.array(z.object({ name: z.string(), contentType: z.string(), contentBase64: z.string() })).default([]),
});
const mailboxSeedSchema = z.object({
  user: z.string(),
  folders: z.array(z.string()).default(['Inbox', 'Sent Items', 'Deleted Items']),
  messages: z.array(messageSeedSchema).default([]),
});
const tenantSeedSchema = z.object({
  id: z.string(),
  displayName: z.string(),
  domains: z.array(z.looseObject({ id: z.string(), isDefault: z.boolean().default(false) })).min(1),
  consented: z.boolean().default(true),
  users: z.array(userSchema).default([]),
  groups: z.array(z.looseObject({ id: z.string(), displayName: z.string() })).default([]),
  subscribedSkus: z.array(record).default([]),
  managedDevices: z.array(z.looseObject({ id: z.string() })).default([]),
  mailboxes: z.array(mailboxSeedSchema).default([]),
  /** App registrations of this tenant only (single-tenant apps, e.g. an Entra ID connection's own). */
  apps: z
    .array(
      z.object({
        clientId: z.string(),
        secrets: z.array(z.string()).default([]),
        certificates: z.array(z.string()).default([]),
      }),
    )
    .default([]),
  /** For a partner tenant: the customer tenant ids it lists in contracts and delegatedAdminCustomers. */
  customers: z.array(z.string()).default([]),
});

export const graphSeedSchema = z.object({
  app: z.object({
    clientId: z.string(),
    displayName: z.string().default('halo-bridge'),
    secrets: z.array(z.string()).default([]),
    /** PEM certificates whose keys may sign client assertions. */
    certificates: z.array(z.string()).default([]),
  }),
  tenants: z.array(tenantSeedSchema),
});

export type GraphSeed = z.input<typeof graphSeedSchema>;
export type ParsedGraphSeed = z.output<typeof graphSeedSchema>;
export type TenantSeed = z.output<typeof tenantSeedSchema>;
export type MessageSeed = z.input<typeof messageSeedSchema>;

export function parseGraphSeed(value: unknown): ParsedGraphSeed {
  return graphSeedSchema.parse(value);
}

/** The demo universe (dev/demo-data/graph.json). */
export function loadDemoGraphSeed(): ParsedGraphSeed {
  const file = join(__dirname, '..', 'demo-data', 'graph.json');
  return parseGraphSeed(JSON.parse(readFileSync(file, 'utf8')));
}

export const DEMO_PARTNER_TENANT_ID = '99999999-9999-4999-8999-999999999999';

/** A deterministic GUID-shaped id from a few numbers (for generated data). */
export function syntheticGuid(...parts: number[]): string {
  const hex = parts.map((p) => p.toString(16).padStart(8, '0')).join('');
  const h = (hex + '0'.repeat(32)).slice(0, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** N customer tenants × M users (plus a partner tenant listing them), for benchmarks. */
export function generateGraphSeed(options: {
  tenants: number;
  usersPerTenant: number;
  devicesPerTenant?: number;
  clientId?: string;
  secret?: string;
}): ParsedGraphSeed {
  const customers = Array.from({ length: options.tenants }, (_, t) => {
    const id = syntheticGuid(0xc0, t + 1);
    const domain = `tenant${t + 1}.example`;
    const users = Array.from({ length: options.usersPerTenant }, (_, u) => ({
      id: syntheticGuid(0xa0 + (t + 1), u + 1),
      displayName: `User ${u + 1} of Tenant ${t + 1}`,
      givenName: 'User',
      surname: `${u + 1}`,
      userPrincipalName: `user${u + 1}@${domain}`,
      mail: `user${u + 1}@${domain}`,
      accountEnabled: true,
      userType: 'Member',
      proxyAddresses: [`SMTP:user${u + 1}@${domain}`],
      assignedLicenses: u % 10 === 9 ? [] : [{ skuId: syntheticGuid(0x5c, 1), disabledPlans: [] }],
    }));
    const managedDevices = Array.from({ length: options.devicesPerTenant ?? 0 }, (_, d) => ({
      id: syntheticGuid(0xde, t + 1, d + 1),
      deviceName: `T${t + 1}-PC${d + 1}`,
      serialNumber: `SN${t + 1}-${d + 1}`,
      operatingSystem: 'Windows',
      userPrincipalName: users[d % Math.max(1, users.length)]?.userPrincipalName ?? null,
    }));
    return {
      id,
      displayName: `Tenant ${t + 1}`,
      domains: [{ id: domain, isDefault: true, isVerified: true, isInitial: false }],
      users,
      managedDevices,
    };
  });
  return parseGraphSeed({
    app: { clientId: options.clientId ?? syntheticGuid(0xab, 1), secrets: [options.secret ?? 'bench-secret-value'] },
    tenants: [
      {
        id: DEMO_PARTNER_TENANT_ID,
        displayName: 'Partner',
        domains: [{ id: 'partner.example', isDefault: true }],
        customers: customers.map((c) => c.id),
      },
      ...customers,
    ],
  });
}
