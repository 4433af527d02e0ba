import { z } from 'zod';
import { haloId, ncrontab, nonEmpty, tenantId } from './common';

/**
 * The scalar properties of Graph v1.0 `managedDevice` a mapping, a type rule or a matcher may read (MGDC
 * `intune-devices-manageddevice.md`). Left out on purpose: `activationLockBypassCode` and
 * `remoteAssistanceSessionUrl` (secrets that must not land in Halo), and the complex ones
 * (`deviceActionResults`, `configurationManagerClientEnabledFeatures`, `deviceHealthAttestationState`).
 */
export const INTUNE_DEVICE_FIELDS = [
  'id',
  'userId',
  'deviceName',
  'managedDeviceName',
  'managedDeviceOwnerType',
  'enrolledDateTime',
  'lastSyncDateTime',
  'operatingSystem',
  'osVersion',
  'complianceState',
  'complianceGracePeriodExpirationDateTime',
  'jailBroken',
  'managementAgent',
  'easActivated',
  'easDeviceId',
  'easActivationDateTime',
  'azureADRegistered',
  'azureADDeviceId',
  'deviceEnrollmentType',
  'deviceRegistrationState',
  'deviceCategoryDisplayName',
  'enrollmentProfileName',
  'isSupervised',
  'isEncrypted',
  'exchangeLastSuccessfulSyncDateTime',
  'exchangeAccessState',
  'exchangeAccessStateReason',
  'emailAddress',
  'userPrincipalName',
  'userDisplayName',
  'model',
  'manufacturer',
  'serialNumber',
  'imei',
  'meid',
  'iccid',
  'udid',
  'phoneNumber',
  'subscriberCarrier',
  'wiFiMacAddress',
  'ethernetMacAddress',
  'androidSecurityPatchLevel',
  'totalStorageSpaceInBytes',
  'freeStorageSpaceInBytes',
  'physicalMemoryInBytes',
  'partnerReportedThreatState',
  'requireUserEnrollmentApproval',
  'managementCertificateExpirationDate',
  'notes',
] as const;
export type IntuneDeviceField = (typeof INTUNE_DEVICE_FIELDS)[number];

/**
 * Properties a list of managed devices answers with a placeholder (0 or null): their real value comes only from a
 * single-device GET that `$select`s them (SDK docstring of `physicalMemoryInBytes`; entra-intune.md §A4.1).
 */
export const LIST_PLACEHOLDER_FIELDS: readonly IntuneDeviceField[] = [
  'physicalMemoryInBytes',
  'ethernetMacAddress',
  'notes',
  'udid',
  'iccid',
];

/**
 * Asset properties a mapping may write directly: only those on Halo's asset list rows (`Device_List`), so that one
 * paged read per company can tell whether they changed. Anything else goes into an asset field or custom field.
 */
export const ASSET_LIST_PROPERTIES = ['inventory_number', 'key_field', 'key_field2', 'key_field3'] as const;

/** How existing assets are found for a device, strongest first. */
export const ASSET_MATCH_KEYS = ['intuneId', 'serialNumber', 'azureADDeviceId', 'deviceName'] as const;
export type AssetMatchKey = (typeof ASSET_MATCH_KEYS)[number];

/** The device field each matching key reads. */
export const MATCH_KEY_FIELD: Readonly<Record<AssetMatchKey, IntuneDeviceField>> = {
  intuneId: 'id',
  serialNumber: 'serialNumber',
  azureADDeviceId: 'azureADDeviceId',
  deviceName: 'deviceName',
};

/** Serial numbers that vendors and virtual machines leave as placeholders: never an identifier. */
export const DEFAULT_IGNORED_SERIAL_NUMBERS = [
  '0',
  'System Serial Number',
  'To be filled by O.E.M.',
  'Default string',
  'Default',
  'None',
  'N/A',
  'Not Applicable',
  'Not Specified',
  'Chassis Serial Number',
  'Base Board Serial Number',
  'Invalid',
  'Unknown',
  '123456789',
  '0123456789',
];

const deviceField = z.enum(INTUNE_DEVICE_FIELDS);
const haloFieldRef = z
  .object({ id: haloId, /** For people reading reports; Halo is written by id. */ name: nonEmpty.optional() })
  .strict();

export const assetTargetSchema = z.union([
  z.object({ property: z.enum(ASSET_LIST_PROPERTIES) }).strict(),
  z.object({ field: haloFieldRef }).strict(),
  z.object({ customField: haloFieldRef }).strict(),
]);
export type AssetTarget = z.infer<typeof assetTargetSchema>;

const fieldMappingSchema = z
  .object({
    from: deviceField,
    to: assetTargetSchema,
    /** `gigabytes`: bytes → GB with one decimal; `date`: the day (YYYY-MM-DD) of a timestamp. */
    format: z.enum(['text', 'gigabytes', 'date']).default('text'),
  })
  .strict();
export type FieldMapping = z.infer<typeof fieldMappingSchema>;

export const CRITERION_OPS = [
  'equals',
  'notEquals',
  'contains',
  'startsWith',
  'endsWith',
  'matches',
  'isEmpty',
  'isNotEmpty',
] as const;

const criterionSchema = z
  .object({
    field: deviceField,
    op: z.enum(CRITERION_OPS),
    /** Compared without case; `matches` takes a regular expression. Not used by isEmpty / isNotEmpty. */
    value: z.string().optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const needsValue = c.op !== 'isEmpty' && c.op !== 'isNotEmpty';
    if (needsValue && c.value === undefined)
      ctx.addIssue({ code: 'custom', path: ['value'], message: `op "${c.op}" needs a value` });
    if (c.op === 'matches' && c.value !== undefined) {
      try {
        new RegExp(c.value, 'i');
      } catch (error) {
        ctx.addIssue({
          code: 'custom',
          path: ['value'],
          message: `is not a regular expression: ${(error as Error).message}`,
        });
      }
    }
  });
export type TypeCriterion = z.infer<typeof criterionSchema>;

const typeRuleSchema = z
  .object({ name: nonEmpty.optional(), when: z.array(criterionSchema).min(1), typeId: haloId })
  .strict();

export const assetTypeConfigSchema = z.discriminatedUnion('from', [
  /** Every asset gets this type. */
  z.object({ from: z.literal('single'), typeId: haloId }).strict(),
  /** The type named exactly like the device field's value; missing types are created under `assetGroupId`. */
  z
    .object({
      from: z.literal('field'),
      field: deviceField,
      assetGroupId: haloId,
      /** For devices whose field is empty; without it such devices are skipped (and reported). */
      defaultTypeId: haloId.optional(),
    })
    .strict(),
  /** The first rule whose criteria all hold; `defaultTypeId` (or a skip) when none does. */
  z
    .object({ from: z.literal('rules'), rules: z.array(typeRuleSchema).min(1), defaultTypeId: haloId.optional() })
    .strict(),
]);
export type AssetTypeConfig = z.infer<typeof assetTypeConfigSchema>;

const sourcesSchema = z
  .discriminatedUnion('kind', [
    /** An MSP: every customer tenant tenant sync finds (same consent, same company matching), or only some. */
    z
      .object({
        kind: z.literal('customerTenants'),
        /** When not empty, only these customer tenants. */
        only: z.array(tenantId).default([]),
        exclude: z.array(tenantId).default([]),
      })
      .strict(),
    /** One organisation (or a few): each connection is a tenant whose devices go to one Halo company. */
    z
      .object({
        kind: z.literal('connections'),
        connections: z.array(z.object({ tenantId, clientId: haloId, name: nonEmpty.optional() }).strict()).min(1),
      })
      .strict(),
  ])
  .default({ kind: 'customerTenants', only: [], exclude: [] });

/** Intune managed devices → Halo assets (issue 12). */
export const intuneSyncConfigSchema = z
  .object({
    /** Off until configured: assets are only written once the asset type (and a mode of apply) is chosen. */
    enabled: z.boolean().default(false),
    /** Daily by default (Halo's integrator runs daily); NCRONTAB, UTC. */
    schedule: ncrontab.default('0 30 3 * * *'),
    /** plan: report every change; apply: make the changes in Halo. */
    mode: z.enum(['plan', 'apply']).default('plan'),
    sources: sourcesSchema,
    devices: z
      .object({
        /** Leave out devices managed by Microsoft Defender for Endpoint only (`managementAgent` msSense). */
        excludeDefenderManaged: z.boolean().default(true),
        /**
         * Fields a list answers with a placeholder (memory, Ethernet MAC, notes) are read per device for devices that
         * are new or whose asset lacks the value, and otherwise for each device once every this many days (a
         * rotating share of the fleet per run).
         */
        detailRefreshDays: z.number().int().min(1).max(365).default(7),
        /** Cross-check the list's length with Intune's `managedDeviceOverview.enrolledDeviceCount`. */
        checkEnrolledCount: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
    assetType: assetTypeConfigSchema.optional(),
    /** Never change the type of an asset that exists (other fields still sync). */
    neverUpdateType: z.boolean().default(false),
    fields: z
      .array(fieldMappingSchema)
      .default([{ from: 'deviceName', to: { property: 'inventory_number' }, format: 'text' }]),
    /**
     * How a device finds its existing asset, in order; the first key that finds anything decides (two assets = a
     * tie, reported, never a match). Default: intuneId, then serialNumber, azureADDeviceId and deviceName where a
     * field mapping says which asset field holds them.
     */
    matching: z.array(z.enum(ASSET_MATCH_KEYS)).min(1).optional(),
    /** Serial numbers that identify nothing (compared without case or surrounding spaces). */
    ignoredSerialNumbers: z.array(z.string()).default(DEFAULT_IGNORED_SERIAL_NUMBERS),
    users: z
      .object({
        link: z.boolean().default(true),
        /** Device user → Halo user: UPN or email against the Halo user's email addresses, or the Entra object id. */
        identifier: z.enum(['userPrincipalName', 'email', 'entraObjectId']).default('userPrincipalName'),
        /** Unlink an asset's user when the device's user matches no Halo user (or the device has none). */
        unlinkWhenNoMatch: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    sites: z
      .object({
        /** userSite: the linked user's site (the default for devices without one); defaultSite: never moved. */
        allocation: z.enum(['userSite', 'defaultSite']).default('userSite'),
        /** The default site; without it, the company's main site. */
        defaultSiteId: haloId.optional(),
      })
      .strict()
      .prefault({}),
    software: z
      .object({
        enabled: z.boolean().default(true),
        /**
         * Where detected apps are read: `v1.0` tenant-wide (`detectedApps` + each app's `managedDevices`), `beta`
         * per device (`managedDevices/{id}/detectedApps`), or `auto` (per tenant, whichever needs fewer requests).
         */
        endpoint: z.enum(['auto', 'v1.0', 'beta']).default('auto'),
        /** Create a Halo software licence (for the asset's company) for an app no licence is named after. */
        createMissingLicences: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    statuses: z
      .object({
        /** For assets this sync creates. */
        newStatusId: haloId.optional(),
        /** For assets whose device is no longer in Intune (absent from a complete list). */
        deletedStatusId: haloId.optional(),
        /** For assets whose device comes back (it was marked deleted or inactive). */
        recoveredStatusId: haloId.optional(),
        /** Devices that have not synced with Intune for more than `afterDays` × 24 hours. */
        inactive: z
          .object({ afterDays: z.number().int().min(1).max(3650), statusId: haloId })
          .strict()
          .optional(),
        /** Also set Halo's inactive flag on assets marked deleted (and clear it when they come back). */
        deletedSetsInactive: z.boolean().default(false),
        /**
         * Nothing is marked deleted when a tenant's device count fell by more than this share since the last run (or
         * below the assets linked to Intune, on a first run): a partial list must never retire a fleet.
         */
        maxDropShare: z.number().min(0).max(1).default(0.2),
      })
      .strict()
      .prefault({}),
    halo: z
      .object({ writeBatchSize: z.number().int().min(1).max(100).default(100) })
      .strict()
      .prefault({}),
    graph: z
      .object({
        /** Intune allows 2,000 requests per 20 s per tenant and app; this client stays under its own share. */
        requestsPer20Seconds: z.number().int().min(1).max(2000).default(1800),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (config.enabled && !config.assetType) {
      ctx.addIssue({
        code: 'custom',
        path: ['assetType'],
        message: 'is required when the Intune sync is enabled: {"from": "single", "typeId": <Halo asset type id>}',
      });
    }
    const mapped = new Set(config.fields.map((m) => m.from));
    config.matching?.forEach((key, index) => {
      const field = MATCH_KEY_FIELD[key];
      if (key !== 'intuneId' && !mapped.has(field)) {
        ctx.addIssue({
          code: 'custom',
          path: ['matching', index],
          message: `matching by ${key} needs a field mapping from "${field}" (it names the asset field to compare with)`,
        });
      }
    });
    const targets = new Map<string, number>();
    config.fields.forEach((mapping, index) => {
      const key = targetKey(mapping.to);
      const first = targets.get(key);
      if (first !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['fields', index, 'to'],
          message: `writes the same target as fields[${first}]`,
        });
      else targets.set(key, index);
    });
  });

export type IntuneSyncConfig = z.infer<typeof intuneSyncConfigSchema>;

/** One key per asset target (`property:key_field`, `field:12`, `customField:7`). */
export function targetKey(target: AssetTarget): string {
  if ('property' in target) return `property:${target.property}`;
  if ('field' in target) return `field:${target.field.id}`;
  return `customField:${target.customField.id}`;
}
