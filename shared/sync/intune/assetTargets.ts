import type { AssetTarget, FieldMapping, IntuneDeviceField } from '../../config/integration/intune';
import type { AssetWrite, HaloAsset } from './types';

/** A target's name for people: `key_field`, `field "Serial Number" (#12)`, `custom field #7`. */
export function targetLabel(target: AssetTarget): string {
  if ('property' in target) return target.property;
  if ('field' in target) return `field ${target.field.name ? `"${target.field.name}" ` : ''}#${target.field.id}`;
  return `custom field ${target.customField.name ? `"${target.customField.name}" ` : ''}#${target.customField.id}`;
}

/**
 * The asset's current value of a target: '' when the asset has none, undefined when it was not read (the list did
 * not include fields), so that nothing is compared against a value nobody read.
 */
export function currentValue(asset: HaloAsset, target: AssetTarget): string | undefined {
  if ('property' in target) return asset[target.property] ?? '';
  const list = 'field' in target ? asset.fields : asset.customfields;
  if (list === undefined) return undefined;
  const id = 'field' in target ? target.field.id : target.customField.id;
  return list.find((f) => f.id === id)?.value ?? '';
}

/** The asset-side value a device field is compared with when matching: its first mapping's target. */
export function matchTargetOf(mappings: readonly FieldMapping[], field: IntuneDeviceField): AssetTarget | undefined {
  return mappings.find((m) => m.from === field)?.to;
}

/** Values to write, by target: properties on the body, fields and custom fields by id. */
export interface TargetValues {
  properties: Partial<Record<'inventory_number' | 'key_field' | 'key_field2' | 'key_field3', string>>;
  fields: Map<number, string>;
  customfields: Map<number, string>;
}

export function emptyTargetValues(): TargetValues {
  return { properties: {}, fields: new Map(), customfields: new Map() };
}

export function setTarget(values: TargetValues, target: AssetTarget, value: string): void {
  if ('property' in target) values.properties[target.property] = value;
  else if ('field' in target) values.fields.set(target.field.id, value);
  else values.customfields.set(target.customField.id, value);
}

/**
 * The `fields` array of a write. Halo replaces an asset's whole `fields` array on every write, so an update sends
 * every field the asset has (with its current value) and ours on top; a create sends ours.
 */
export function fieldsArray(asset: HaloAsset | undefined, ours: ReadonlyMap<number, string>): AssetWrite['fields'] {
  const out = new Map<number, string>();
  for (const field of asset?.fields ?? []) out.set(field.id, field.value);
  for (const [id, value] of ours) out.set(id, value);
  return [...out].map(([id, value]) => ({ id, value }));
}
