import type { AgentFieldMapping, UserFieldMapping } from '../../../config/integration/entra';
import type { FieldChange } from '../changes';
import type { Directory, DirUser } from '../directory';
import { fieldValue } from '../fieldValues';

type Mapping = UserFieldMapping | AgentFieldMapping;
type Target = Mapping['halo'];

export interface FieldWrites {
  /** Plain fields to write, by Halo field name. */
  readonly values: Record<string, string>;
  readonly customfields: { id: number; value: string }[];
  readonly changes: FieldChange[];
}

export interface FieldContext {
  readonly user: DirUser;
  /** The user as the sync saw it before this round (undefined: never seen). */
  readonly previous: DirUser | undefined;
  readonly directory: Directory;
  readonly previousDirectory: Directory | undefined;
  /** The Halo value of a target, or undefined when the read did not carry it. */
  readonly current: (target: Target) => string | undefined;
  /** The record is created by this plan. */
  readonly creating: boolean;
  /** The record was just matched (first import): every mapped field is written once. */
  readonly firstLink: boolean;
}

/**
 * The field mappings' writes for one record. A mapped value that differs from Halo's is written; when Halo's
 * value was not read (a field list rows do not carry), it is written if Entra's value changed since the last
 * round, on a first link and on creation. Empty Entra values clear nothing unless the mapping says so;
 * `onCreateOnly` mappings are only written on creation. `team` and `linemanager` are not handled here.
 */
export function fieldWrites(mappings: readonly Mapping[], context: FieldContext): FieldWrites {
  const out: FieldWrites = { values: {}, customfields: [], changes: [] };
  mappings.forEach((mapping, i) => {
    if (mapping.halo === 'team' || mapping.halo === 'linemanager') return;
    if (mapping.onCreateOnly && !context.creating) return;
    const value = fieldValue(context.user, mapping.entra, context.directory) ?? '';
    if (value === '' && !mapping.clearWhenEmpty) return;
    const current = context.creating ? undefined : context.current(mapping.halo);
    if (!context.creating && !shouldWrite(value, current, mapping, context)) return;
    const why = `field mapping #${i + 1}: ${mapping.entra} → ${targetName(mapping.halo)}`;
    out.changes.push({
      field: targetName(mapping.halo),
      ...(current !== undefined ? { from: current } : {}),
      to: value,
      why,
    });
    if (typeof mapping.halo === 'string') out.values[mapping.halo] = value;
    else out.customfields.push({ id: mapping.halo.customFieldId, value });
  });
  return out;
}

function shouldWrite(value: string, current: string | undefined, mapping: Mapping, context: FieldContext): boolean {
  if (current !== undefined) return current.trim() !== value.trim();
  if (context.firstLink || !context.previous) return true;
  const before = fieldValue(context.previous, mapping.entra, context.previousDirectory ?? context.directory) ?? '';
  return before.trim() !== value.trim();
}

export function targetName(target: Target): string {
  return typeof target === 'string' ? target : `custom field ${target.customFieldId}`;
}
