import type { AssetTypeConfig, TypeCriterion } from '../../config/integration/intune';
import { valueText } from './deviceValues';
import type { HaloAssetType, IntuneDevice } from './types';

export type TypeDecision =
  | { typeId: number; typeName?: string; why: string }
  /** The type the device field names does not exist: it is created under the configured group. */
  | { create: { name: string; assetGroupId: number }; why: string }
  | { skip: string };

/**
 * The Halo asset type of a device: one type for all; the type named exactly like a device field (created when
 * missing); or the first rule whose criteria all hold. Types are looked up among Halo's types by id or exact name.
 */
export function decideAssetType(
  device: IntuneDevice,
  config: AssetTypeConfig,
  types: readonly HaloAssetType[],
): TypeDecision {
  const named = (id: number) => types.find((t) => t.id === id)?.name;
  const byId = (id: number, why: string): TypeDecision => {
    const name = named(id);
    if (name === undefined) return { skip: `${why}, but Halo has no asset type ${id}` };
    return { typeId: id, typeName: name, why };
  };
  switch (config.from) {
    case 'single':
      return byId(config.typeId, 'one type for every device');
    case 'field': {
      const value = valueText(device.values[config.field]);
      if (value === '') {
        if (config.defaultTypeId !== undefined)
          return byId(config.defaultTypeId, `${config.field} is empty: the default type`);
        return { skip: `${config.field} is empty and assetType.defaultTypeId is not set` };
      }
      const existing = types.find((t) => t.name.trim() === value);
      if (existing) return { typeId: existing.id, typeName: existing.name, why: `${config.field} is "${value}"` };
      return {
        create: { name: value, assetGroupId: config.assetGroupId },
        why: `${config.field} is "${value}", a type Halo does not have yet`,
      };
    }
    case 'rules': {
      for (const [index, rule] of config.rules.entries()) {
        if (!rule.when.every((criterion) => holds(device, criterion))) continue;
        return byId(rule.typeId, `rule ${rule.name ? `"${rule.name}"` : index + 1} (${describeRule(rule.when)})`);
      }
      if (config.defaultTypeId !== undefined) return byId(config.defaultTypeId, 'no rule matched: the default type');
      return { skip: 'no asset type rule matched and assetType.defaultTypeId is not set' };
    }
  }
}

/** Whether one criterion holds for a device; text compares without case. */
export function holds(device: IntuneDevice, criterion: TypeCriterion): boolean {
  const actual = valueText(device.values[criterion.field]).toLowerCase();
  const wanted = (criterion.value ?? '').trim().toLowerCase();
  switch (criterion.op) {
    case 'equals':
      return actual === wanted;
    case 'notEquals':
      return actual !== wanted;
    case 'contains':
      return actual.includes(wanted);
    case 'startsWith':
      return actual.startsWith(wanted);
    case 'endsWith':
      return actual.endsWith(wanted);
    case 'matches':
      return new RegExp(criterion.value ?? '', 'i').test(valueText(device.values[criterion.field]));
    case 'isEmpty':
      return actual === '';
    case 'isNotEmpty':
      return actual !== '';
  }
}

function describeRule(criteria: readonly TypeCriterion[]): string {
  return criteria
    .map((c) => (c.value === undefined ? `${c.field} ${c.op}` : `${c.field} ${c.op} "${c.value}"`))
    .join(' and ');
}
