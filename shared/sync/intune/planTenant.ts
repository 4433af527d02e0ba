import type { IntuneDeviceField, IntuneSyncConfig } from '../../config/integration/intune';
import { LIST_PLACEHOLDER_FIELDS } from '../../config/integration/intune';
import type { HaloClient } from '../contacts/types';
import {
  currentValue,
  emptyTargetValues,
  fieldsArray,
  setTarget,
  type TargetValues,
  targetLabel,
} from './assetTargets';
import { decideAssetType, type TypeDecision } from './assetType';
import {
  type AssetChange,
  type CreateAssetTypeChange,
  type CreateLicenceChange,
  companyFound,
  type DeviceRef,
  type IntuneCompany,
  type IntunePlan,
  type SkippedDevice,
} from './changes';
import { formatDeviceValue, sameValue, valueText } from './deviceValues';
import { ignoredSerials } from './identifiers';
import { type DeviceMatch, matchAssets, matchKeyLabel, matchKeys } from './matchAssets';
import { licenceIndex, planSoftware, softwareKey } from './software';
import { deletionGuard, newAssetStatus, statusChangeFor } from './statuses';
import type {
  AssetWrite,
  DetectedApp,
  DeviceValue,
  HaloAsset,
  IntuneDevice,
  IntuneHaloSnapshot,
  IntuneSourceState,
  ListHealth,
} from './types';
import { decideSite, decideUser, type UserDecision } from './userAndSite';

export interface IntunePlanInput {
  tenantId: string;
  tenantName: string;
  company: IntuneCompany;
  /** Every readable device of the list, excluded ones included (they still hold their assets). */
  devices: readonly IntuneDevice[];
  health: ListHealth;
  /** Placeholder fields read per device (by lower-case id); a device without an entry keeps Halo's values. */
  details: ReadonlyMap<string, Partial<Record<IntuneDeviceField, DeviceValue>>>;
  /** Detected apps by lower-case device id; undefined when software is off or was not read. */
  software?: ReadonlyMap<string, readonly DetectedApp[]>;
  softwareRead?: IntunePlan['software'];
  /** Reader problems to show on the plan (unreadable Halo rows, a software read that failed). */
  problems?: readonly string[];
  /** The company's assets (one paged read). */
  assets: readonly HaloAsset[];
  halo: IntuneHaloSnapshot;
  state: IntuneSourceState;
  config: IntuneSyncConfig;
  now: Date;
}

const DEFENDER_AGENT = 'mssense';

/**
 * Everything one tenant's Intune devices would change in Halo, each change with its reason. Pure: the same input
 * always gives the same plan, and a plan applied to Halo leaves nothing to do next time.
 */
export function planIntuneTenant(input: IntunePlanInput): IntunePlan {
  const { config, health } = input;
  const plan: IntunePlan = {
    tenantId: input.tenantId,
    tenantName: input.tenantName,
    company: input.company,
    devices: { listed: health.listed, planned: 0, excludedDefender: 0, skipped: 0 },
    listHealth: { complete: health.complete, problems: health.problems },
    deletion: { mode: 'off', reason: 'the tenant has no Halo company' },
    ...(input.softwareRead ? { software: input.softwareRead } : {}),
    changes: [],
    problems: [...(input.problems ?? [])],
    skipped: health.unreadable.map((item) => ({
      device: { id: item.id ?? '(unknown)', name: item.id ?? '(unreadable item)' },
      reason: `could not be read: ${item.reason}`,
      category: 'unreadable' as const,
    })),
    state: { software: {}, users: {}, forget: [] },
  };
  if (!companyFound(input.company)) return finish(plan);
  const clientId = input.company.clientId;
  const client = input.halo.clients.find((c) => c.id === clientId);
  if (!client) {
    plan.deletion = { mode: 'off', reason: `Halo company ${clientId} does not exist` };
    return finish(plan);
  }
  const context = new TenantContext(input, client);
  const matches = matchAssets(input.devices, input.assets, {
    keys: matchKeys(config.matching, config.fields),
    mappings: config.fields,
    ignoredSerials: ignoredSerials(config.ignoredSerialNumbers),
  });
  const claimed = new Set<number>();
  for (const device of [...input.devices].sort((a, b) => deviceName(a).localeCompare(deviceName(b)))) {
    const match = matches.get(device.id)!;
    if (match.kind === 'matched') claimed.add(match.asset.id);
    const skip = skipReason(device, match, config);
    if (skip) {
      if (skip.category === 'excluded') plan.devices.excludedDefender++;
      plan.skipped.push({ device: refOf(device), ...skip });
      continue;
    }
    const asset = match.kind === 'matched' ? match.asset : undefined;
    const outcome = asset
      ? context.update(device, asset, match as Extract<DeviceMatch, { kind: 'matched' }>)
      : context.create(device);
    if ('skip' in outcome) {
      plan.skipped.push({ device: refOf(device), reason: outcome.skip, category: 'problem' });
      continue;
    }
    plan.devices.planned++;
    if (outcome.change) plan.changes.push(outcome.change);
  }
  plan.deletion = deletionGuard({
    statuses: config.statuses,
    health,
    baselineDeviceCount: input.state.baselineDeviceCount,
    linkedAssets: input.assets.filter((a) => a.intune_id !== '').length,
  });
  if (plan.deletion.mode === 'allowed') plan.changes.push(...context.retirements(claimed));
  plan.changes.unshift(...context.typeCreates.values(), ...context.licenceCreates.values());
  plan.state.software = context.softwareWritten;
  plan.state.users = context.usersWritten;
  plan.state.forget = context.forgotten;
  if (health.complete && plan.deletion.mode !== 'blocked') plan.state.baselineDeviceCount = health.listed;
  return finish(plan);
}

function finish(plan: IntunePlan): IntunePlan {
  plan.devices.skipped = plan.skipped.length;
  return plan;
}

function skipReason(
  device: IntuneDevice,
  match: DeviceMatch,
  config: IntuneSyncConfig,
): Omit<SkippedDevice, 'device'> | undefined {
  if (
    config.devices.excludeDefenderManaged &&
    valueText(device.values.managementAgent).toLowerCase() === DEFENDER_AGENT
  ) {
    return {
      category: 'excluded',
      reason:
        'managed by Microsoft Defender for Endpoint only (managementAgent msSense): devices.excludeDefenderManaged',
    };
  }
  if (match.kind === 'tie') {
    const names = match.assets.map((a) => `#${a.id}`).join(' and ');
    return {
      category: 'tie',
      reason:
        `${matchKeyLabel(match.by)} "${match.value}" is on ${match.assets.length} assets (${names}): a tie is never a ` +
        `match. Put Intune device id ${device.id} on the right asset's intune_id, or remove the duplicate.`,
    };
  }
  if (match.kind === 'taken') {
    return {
      category: 'duplicate',
      reason:
        `${matchKeyLabel(match.by)} "${match.value}" belongs to asset #${match.asset.id}, which Intune device ` +
        `${match.deviceId} holds (it synced more recently or has the asset's Intune id): a duplicate Intune record.`,
    };
  }
  return undefined;
}

type Outcome = { change?: AssetChange } | { skip: string };

/** The company-wide parts of a tenant's plan: lookups, and the types and licences its devices need created. */
class TenantContext {
  readonly typeCreates = new Map<string, CreateAssetTypeChange>();
  readonly licenceCreates = new Map<string, CreateLicenceChange>();
  readonly softwareWritten: Record<string, string> = {};
  readonly usersWritten: Record<string, string> = {};
  readonly forgotten: string[] = [];
  private readonly users;
  private readonly licences;
  private readonly config: IntuneSyncConfig;

  constructor(
    private readonly input: IntunePlanInput,
    private readonly client: HaloClient,
  ) {
    this.config = input.config;
    this.users = input.halo.users.filter((u) => u.client_id === client.id);
    this.licences = licenceIndex(input.halo.licences, client.id);
  }

  create(device: IntuneDevice): Outcome {
    const type = decideAssetType(device, this.config.assetType!, this.input.halo.assetTypes);
    if ('skip' in type) return { skip: `no asset type: ${type.skip}` };
    const user = this.userOf(device);
    const site = decideSite({
      config: this.config.sites,
      client: this.client,
      sites: this.input.halo.sites,
      user,
      existingSiteId: undefined,
    });
    if (!site || 'none' in site) return { skip: site ? site.none : 'no site' };
    const values = this.desiredValues(device, undefined);
    const body: AssetWrite = {
      intune_id: device.id,
      client_id: this.client.id,
      site_id: site.siteId,
      ...this.typeOf(type, undefined),
      ...values.properties,
    };
    const status = newAssetStatus(device, this.config.statuses, this.input.now);
    if (status !== undefined) body.status_id = status;
    if (values.fields.size > 0) body.fields = fieldsArray(undefined, values.fields);
    if (values.customfields.size > 0) body.customfields = toArray(values.customfields);
    const details = [`type: ${type.why}`, `site ${site.siteId}: ${site.why}`];
    if ('userId' in user) {
      body.users = [{ id: user.userId }];
      details.push(`user ${user.userName} (#${user.userId}): ${user.why}`);
      this.usersWritten[key(device)] = String(user.userId);
    } else if (this.config.users.link) details.push(`no user: ${user.none}`);
    const software = this.softwareOf(device, body);
    if (software) details.push(software);
    return {
      change: {
        kind: 'createAsset',
        resource: '/Asset',
        device: refOf(device),
        body,
        ...this.refsOf(type, body),
        reason: `new in Intune: no asset of ${this.client.name} has its ${this.keyList()}`,
        details,
      },
    };
  }

  update(device: IntuneDevice, asset: HaloAsset, match: Extract<DeviceMatch, { kind: 'matched' }>): Outcome {
    const details: string[] = [];
    const body: AssetWrite = { id: asset.id, intune_id: device.id };
    const values = this.desiredValues(device, asset);
    let changed = false;
    for (const [name, value] of Object.entries(values.properties)) {
      const current = asset[name as keyof typeof values.properties] ?? '';
      if (sameValue(current, value)) continue;
      (body as unknown as Record<string, string>)[name] = value;
      details.push(`${name}: "${current}" → "${value}"`);
      changed = true;
    }
    for (const mapping of this.config.fields) {
      if ('property' in mapping.to) continue;
      const id = 'field' in mapping.to ? mapping.to.field.id : mapping.to.customField.id;
      const wanted = ('field' in mapping.to ? values.fields : values.customfields).get(id);
      const current = currentValue(asset, mapping.to);
      if (wanted === undefined || current === undefined || sameValue(current, wanted)) continue;
      details.push(`${targetLabel(mapping.to)}: "${current}" → "${wanted}"`);
      changed = true;
    }
    if (asset.intune_id.toLowerCase() !== device.id.toLowerCase()) {
      details.push(
        `intune_id: "${asset.intune_id}" → "${device.id}" (matched by ${matchKeyLabel(match.by)} "${match.value}")`,
      );
      changed = true;
    }
    let type: TypeDecision | undefined;
    if (!this.config.neverUpdateType) {
      type = decideAssetType(device, this.config.assetType!, this.input.halo.assetTypes);
      const typed = this.typeOf(type, asset);
      if (typed.assettype_id !== undefined || 'create' in type) {
        Object.assign(body, typed);
        const to = 'create' in type ? type.create.name : (type as { typeName?: string }).typeName;
        details.push(
          `type ${asset.assettype_name ?? asset.assettype_id ?? '-'} → ${to}: ${(type as { why: string }).why}`,
        );
        changed = true;
      } else type = undefined;
    }
    const user = this.userOf(device);
    if (this.applyUser(device, asset, user, body, details)) changed = true;
    const site = decideSite({
      config: this.config.sites,
      client: this.client,
      sites: this.input.halo.sites,
      user,
      existingSiteId: asset.site_id,
    });
    if (site && 'siteId' in site && site.siteId !== asset.site_id) {
      body.site_id = site.siteId;
      details.push(`site ${asset.site_id ?? '-'} → ${site.siteId}: ${site.why}`);
      changed = true;
    }
    const status = statusChangeFor(device, asset, this.config.statuses, this.input.now);
    if (status) {
      if (status.status_id !== undefined) body.status_id = status.status_id;
      if (status.kind === 'recoverAsset' && status.inactive === false) body.inactive = false;
      details.push(`status ${asset.status_id ?? '-'} → ${status.status_id ?? asset.status_id}: ${status.why}`);
      changed = true;
    }
    const software = this.softwareOf(device, body);
    if (software) {
      details.push(software);
      changed = true;
    }
    if (!changed) return {};
    // Halo replaces the whole fields array on a write: send every field the asset has, ours on top.
    if (asset.fields !== undefined) body.fields = fieldsArray(asset, values.fields);
    if (values.customfields.size > 0 && asset.customfields !== undefined)
      body.customfields = toArray(values.customfields);
    return {
      change: {
        kind: status?.kind ?? 'updateAsset',
        resource: '/Asset',
        device: refOf(device),
        assetId: asset.id,
        body,
        ...this.refsOf(type, body),
        reason: `matched by ${matchKeyLabel(match.by)} "${match.value}" to asset #${asset.id}${status ? `; ${status.why}` : ''}`,
        details,
      },
    };
  }

  /** Assets of the company linked to an Intune device that no longer exists (the deletion guard allowed it). */
  retirements(claimed: ReadonlySet<number>): AssetChange[] {
    const statuses = this.config.statuses;
    const present = new Set(this.input.health.presentIds);
    const out: AssetChange[] = [];
    for (const asset of [...this.input.assets].sort((a, b) => a.id - b.id)) {
      const intuneId = asset.intune_id.toLowerCase();
      if (intuneId === '' || claimed.has(asset.id) || present.has(intuneId)) continue;
      if (asset.status_id === statuses.deletedStatusId && (!statuses.deletedSetsInactive || asset.inactive)) continue;
      const body: AssetWrite = { id: asset.id, intune_id: asset.intune_id, status_id: statuses.deletedStatusId };
      if (statuses.deletedSetsInactive) body.inactive = true;
      if (asset.fields !== undefined) body.fields = fieldsArray(asset, new Map());
      this.forgotten.push(intuneId);
      out.push({
        kind: 'retireAsset',
        resource: '/Asset',
        assetId: asset.id,
        body,
        reason: `Intune device ${asset.intune_id} is no longer in Intune (the list is complete)`,
        details: [
          `status ${asset.status_id ?? '-'} → ${statuses.deletedStatusId}${statuses.deletedSetsInactive ? ', inactive' : ''}`,
        ],
      });
    }
    return out;
  }

  /** The desired value of every mapping the device has a value for (placeholders only when read per device). */
  private desiredValues(device: IntuneDevice, asset: HaloAsset | undefined): TargetValues {
    const values = emptyTargetValues();
    const details = this.input.details.get(key(device));
    for (const mapping of this.config.fields) {
      const placeholder = LIST_PLACEHOLDER_FIELDS.includes(mapping.from);
      const raw = placeholder ? details?.[mapping.from] : device.values[mapping.from];
      let text = formatDeviceValue(raw, mapping.format);
      // Not read this run (or empty): an existing asset keeps its value, which is re-sent with the fields array.
      if (text === undefined && asset) text = currentValue(asset, mapping.to) || undefined;
      if (text === undefined) continue;
      if (!('property' in mapping.to) && asset && currentValue(asset, mapping.to) === undefined) continue;
      setTarget(values, mapping.to, text);
    }
    return values;
  }

  private userOf(device: IntuneDevice): UserDecision {
    if (!this.config.users.link) return { none: 'user linking is off' };
    return decideUser(device, this.users, this.config.users.identifier);
  }

  /** Sets `users` on the body when the link changes; true when it does. */
  private applyUser(
    device: IntuneDevice,
    asset: HaloAsset,
    user: UserDecision,
    body: AssetWrite,
    details: string[],
  ): boolean {
    if (!this.config.users.link) return false;
    let wanted: number[] | undefined;
    if ('userId' in user) wanted = [user.userId];
    else if (this.config.users.unlinkWhenNoMatch) wanted = [];
    if (wanted === undefined) return false;
    const written = wanted.join(',');
    const current =
      asset.users !== undefined
        ? [...asset.users].sort((a, b) => a - b).join(',')
        : this.input.state.users[key(device)];
    if (asset.users === undefined) this.usersWritten[key(device)] = written;
    if (current === written) return false;
    body.users = wanted.map((id) => ({ id }));
    details.push(
      'userId' in user
        ? `user → ${user.userName} (#${user.userId}): ${user.why}`
        : `user unlinked: ${(user as { none: string }).none}`,
    );
    return true;
  }

  /** Adds the device's software to the body when it differs from what was last written; a detail line or undefined. */
  private softwareOf(device: IntuneDevice, body: AssetWrite): string | undefined {
    const apps = this.input.software?.get(key(device));
    if (!this.config.software.enabled || apps === undefined) return undefined;
    const planned = planSoftware(apps, this.licences, this.config.software.createMissingLicences);
    if (this.input.state.software[key(device)] === planned.hash && body.id !== undefined) return undefined;
    this.softwareWritten[key(device)] = planned.hash;
    body.software = planned.entries;
    for (const name of planned.pendingLicences) {
      if (this.licenceCreates.has(name)) continue;
      const display = planned.entries.find((e) => softwareKey(e.name) === name)!.name;
      this.licenceCreates.set(name, {
        kind: 'createLicence',
        resource: '/SoftwareLicence',
        name: display,
        body: { name: display, client_id: this.client.id },
        reason: `detected by Intune on ${deviceName(device)} and no software licence of ${this.client.name} is named after it (software.createMissingLicences)`,
      });
    }
    const licensed = planned.entries.filter((e) => e.licence_id !== undefined).length;
    return `software: ${planned.entries.length} app(s), ${licensed} matched to a licence${planned.pendingLicences.length ? `, ${planned.pendingLicences.length} licence(s) created` : ''}`;
  }

  /** `assettype_id` for a write: only when the type changes (or is new); undefined when it stays. */
  private typeOf(type: TypeDecision, asset: HaloAsset | undefined): Pick<AssetWrite, 'assettype_id'> {
    if ('typeId' in type) return type.typeId === asset?.assettype_id ? {} : { assettype_id: type.typeId };
    if ('create' in type && !this.typeCreates.has(type.create.name)) {
      this.typeCreates.set(type.create.name, {
        kind: 'createAssetType',
        resource: '/AssetType',
        name: type.create.name,
        body: { name: type.create.name, assetgroup_id: type.create.assetGroupId },
        reason: type.why,
      });
    }
    return {};
  }

  private refsOf(type: TypeDecision | undefined, body: AssetWrite): { refs?: AssetChange['refs'] } {
    const refs: NonNullable<AssetChange['refs']> = {};
    if (type && 'create' in type) refs.typeName = type.create.name;
    const licences = (body.software ?? [])
      .filter((e) => e.licence_id === undefined && this.licenceCreates.has(softwareKey(e.name)))
      .map((e) => softwareKey(e.name));
    if (licences.length > 0) refs.licences = [...new Set(licences)];
    return Object.keys(refs).length > 0 ? { refs } : {};
  }

  private keyList(): string {
    return matchKeys(this.config.matching, this.config.fields).map(matchKeyLabel).join(', ');
  }
}

function toArray(values: ReadonlyMap<number, string>): { id: number; value: string }[] {
  return [...values].map(([id, value]) => ({ id, value }));
}

function key(device: IntuneDevice): string {
  return device.id.toLowerCase();
}

function deviceName(device: IntuneDevice): string {
  return valueText(device.values.deviceName) || valueText(device.values.managedDeviceName) || device.id;
}

export function refOf(device: IntuneDevice): DeviceRef {
  const serial = valueText(device.values.serialNumber);
  const user = valueText(device.values.userPrincipalName);
  return {
    id: device.id,
    name: deviceName(device),
    ...(serial ? { serialNumber: serial } : {}),
    ...(user ? { user } : {}),
  };
}
