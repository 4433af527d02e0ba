import type { ParameterMapping } from '../config/integration/scripts';
import type { Parameters, ParameterValue } from './types';

/** A Halo custom field as it appears in `customfields` on tickets, users, clients and sites. */
export interface HaloCustomField {
  readonly id?: number;
  readonly name?: string;
  readonly label?: string;
  readonly value?: unknown;
  readonly display?: unknown;
}

type HaloRecord = Readonly<Record<string, unknown>> & { readonly customfields?: readonly HaloCustomField[] };

/** The plain data read from Halo for one run: the ticket, plus the client, site and user when mappings need them. */
export interface TicketData {
  readonly ticket: HaloRecord;
  readonly client?: HaloRecord;
  readonly site?: HaloRecord;
  readonly user?: HaloRecord;
}

export type ResolveResult =
  | { readonly ok: true; readonly parameters: Parameters }
  | { readonly ok: false; readonly parameters: Parameters; readonly problems: string[] };

const ROOTS = ['ticket', 'client', 'site', 'user'] as const;
type Root = (typeof ROOTS)[number];

/**
 * Which records besides the ticket must be read from Halo to resolve these mappings, so the caller makes one
 * request per record (never one per field). The ticket itself is always needed.
 */
export function requiredReads(mappings: readonly ParameterMapping[]): {
  client: boolean;
  site: boolean;
  user: boolean;
} {
  const roots = new Set(mappings.flatMap((m) => ('from' in m ? [m.from.split('.')[0]] : [])));
  return { client: roots.has('client'), site: roots.has('site'), user: roots.has('user') };
}

/**
 * Turns field mappings into script parameters. A `from` path is `<ticket|client|site|user>.<field>[.<field>…]`;
 * `…customfields.<key>` finds a custom field by name (`CFNewStarterName`), by API name without the `CF`/`cf`
 * prefix (`NewStarterName`) or by id (`42`), case-insensitively, and takes its value, or its display text with a
 * trailing `.display`. A missing, empty or non-scalar value is a problem naming the mapping, unless the mapping is
 * optional (then the parameter is left out).
 */
export function resolveParameters(mappings: readonly ParameterMapping[], data: TicketData): ResolveResult {
  const parameters: Parameters = {};
  const problems: string[] = [];
  for (const mapping of mappings) {
    if ('value' in mapping) {
      parameters[mapping.name] = mapping.value;
      continue;
    }
    const found = lookup(mapping.from, data);
    if ('value' in found) parameters[mapping.name] = found.value;
    else if (!mapping.optional) problems.push(`parameter "${mapping.name}" (from ${mapping.from}): ${found.problem}`);
  }
  return problems.length === 0 ? { ok: true, parameters } : { ok: false, parameters, problems };
}

function lookup(path: string, data: TicketData): { value: ParameterValue } | { problem: string } {
  const [root, ...rest] = path.split('.');
  if (!isRoot(root)) return { problem: `must start with ${ROOTS.join(', ')}` };
  if (rest.length === 0) return { problem: 'names a record, not a field' };
  const record = data[root];
  if (record === undefined) return { problem: `the ${root} was not read from Halo` };
  let current: unknown = record;
  for (let i = 0; i < rest.length; i++) {
    const segment = rest[i] as string;
    if (segment === 'customfields' && isObject(current) && Array.isArray(current.customfields)) {
      return customField(current.customfields as HaloCustomField[], rest.slice(i + 1), root);
    }
    if (!isObject(current) || !(segment in current)) return { problem: `the ${root} has no field "${segment}"` };
    current = current[segment];
  }
  return scalar(current);
}

function customField(
  fields: readonly HaloCustomField[],
  rest: string[],
  root: Root,
): { value: ParameterValue } | { problem: string } {
  const [key, part = 'value', ...extra] = rest;
  if (key === undefined) return { problem: 'names the custom field list, not a field' };
  if (extra.length > 0 || (part !== 'value' && part !== 'display')) {
    return { problem: 'a custom field path ends with the field, then optionally .value or .display' };
  }
  const field = fields.find((f) => matchesCustomField(f, key));
  if (field === undefined) return { problem: `the ${root} has no custom field "${key}"` };
  const value = part === 'display' ? (field.display ?? field.value) : field.value;
  return scalar(value);
}

function matchesCustomField(field: HaloCustomField, key: string): boolean {
  if (/^\d+$/.test(key)) return field.id === Number(key);
  const wanted = withoutCf(key);
  return [field.name, field.label].some((n) => typeof n === 'string' && withoutCf(n) === wanted);
}

function withoutCf(name: string): string {
  return name.trim().toLowerCase().replace(/^cf/, '');
}

function scalar(value: unknown): { value: ParameterValue } | { problem: string } {
  if (value === undefined || value === null) return { problem: 'has no value' };
  if (typeof value === 'string') return value.trim() === '' ? { problem: 'is empty' } : { value };
  if (typeof value === 'number' || typeof value === 'boolean') return { value };
  return { problem: 'is not a single value (an object or a list)' };
}

function isRoot(value: string | undefined): value is Root {
  return (ROOTS as readonly string[]).includes(value ?? '');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
