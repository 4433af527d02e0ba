// Extracts from Halo's OpenAPI spec the request bodies our client sends, with the $ref closure of their schemas,
// into test/fixtures/halo-openapi-subset.json (committed, so tests run without the 3.6 MB spec).
//   node scripts/launch.mjs scripts/extract-halo-openapi.ts [path/to/halo-openapi.json]
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The writes our Halo client makes: `METHOD /Path` in Halo's spec. */
export const HALO_REQUEST_BODIES = [
  'POST /Tickets',
  'POST /Actions',
  'POST /Users',
  'POST /Client',
  'POST /Report',
  'POST /PowerShellScriptProcessing',
  'POST /Attachment',
  'POST /Agent',
  'POST /CAB',
  'POST /Site',
  'POST /SoftwareLicence',
] as const;

/** The cut-down rows Halo's list endpoints answer (`GET /Tickets` → `Faults_List`, …), keyed by simulator resource. */
export const HALO_LIST_ROW_SCHEMAS = {
  tickets: 'Faults_List',
  users: 'Users_List',
  agent: 'Uname_List',
  site: 'Site_List',
  asset: 'Device_List',
} as const;

/** The record schema each write endpoint takes, keyed by simulator resource. */
export const HALO_WRITE_SCHEMAS = {
  tickets: 'Faults',
  actions: 'Actions',
  users: 'Users',
  client: 'Area',
  site: 'Site',
  asset: 'Device',
  powershellscriptprocessing: 'PowerShellScriptProcessing',
  attachment: 'Attachment',
  agent: 'Uname',
  cab: 'CabHeader',
  softwarelicence: 'Licence_List',
} as const;

export const SUBSET_PATH = join(__dirname, '..', 'test', 'fixtures', 'halo-openapi-subset.json');
/** What the Halo simulator needs from the spec, small enough to load at every start. */
export const SIM_FACTS_PATH = join(__dirname, '..', 'dev', 'halo-sim', 'openapi-facts.json');
/** Where the full spec lives next to a checkout (absent in CI and fresh clones). */
export const FULL_SPEC_PATH = resolve(__dirname, '..', '..', 'shared', 'reference', 'halo-openapi.json');

type Json = Record<string, unknown>;

export interface HaloOpenApiSubset {
  source: { title: string; version: string };
  requestBodies: Record<string, Json>;
  components: { schemas: Record<string, Json> };
}

function refsIn(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) refsIn(item, into);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === '$ref' && typeof inner === 'string') into.add(inner.replace('#/components/schemas/', ''));
      else refsIn(inner, into);
    }
  }
}

export function extractHaloOpenApiSubset(spec: Json): HaloOpenApiSubset {
  const paths = spec.paths as Record<string, Record<string, Json>>;
  const schemas = (spec.components as { schemas: Record<string, Json> }).schemas;
  const requestBodies: Record<string, Json> = {};
  const wanted = new Set<string>();
  for (const key of HALO_REQUEST_BODIES) {
    const [method, path] = key.split(' ') as [string, string];
    const operation = paths[path]?.[method.toLowerCase()];
    const content = (operation?.requestBody as { content?: Record<string, { schema: Json }> } | undefined)?.content;
    const schema = content?.['application/json']?.schema;
    if (!schema) throw new Error(`${key}: no application/json request body in the spec`);
    requestBodies[key] = schema;
    refsIn(schema, wanted);
  }
  const closure = new Set<string>();
  const pending = [...wanted];
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (closure.has(name)) continue;
    if (!schemas[name]) throw new Error(`schema ${name} is referenced but missing`);
    closure.add(name);
    const inner = new Set<string>();
    refsIn(schemas[name], inner);
    pending.push(...inner);
  }
  const info = spec.info as { title?: string; version?: string };
  return {
    source: { title: info.title ?? '', version: info.version ?? '' },
    requestBodies,
    components: { schemas: Object.fromEntries([...closure].sort().map((name) => [name, schemas[name]!])) },
  };
}

export interface HaloSimFacts {
  /** Resource → the fields a list row may carry. */
  listRows: Record<string, string[]>;
  /** Resource → top-level fields typed integer (`int`) or number (`number`) on writes. */
  numericFields: Record<string, { int: string[]; number: string[] }>;
}

/** The list-row field sets and the numeric write fields, from the subset's schemas. */
export function haloSimFacts(subset: HaloOpenApiSubset): HaloSimFacts {
  const propertiesOf = (name: string) => {
    const schema = subset.components.schemas[name] as { properties?: Record<string, { type?: string }> } | undefined;
    if (!schema?.properties) throw new Error(`schema ${name} has no properties in the subset`);
    return schema.properties;
  };
  const listRows: HaloSimFacts['listRows'] = {};
  for (const [resource, name] of Object.entries(HALO_LIST_ROW_SCHEMAS)) {
    listRows[resource] = Object.keys(propertiesOf(name)).sort();
  }
  const numericFields: HaloSimFacts['numericFields'] = {};
  for (const [resource, name] of Object.entries(HALO_WRITE_SCHEMAS)) {
    const entries = Object.entries(propertiesOf(name));
    numericFields[resource] = {
      int: entries
        .filter(([, p]) => p.type === 'integer')
        .map(([k]) => k)
        .sort(),
      number: entries
        .filter(([, p]) => p.type === 'number')
        .map(([k]) => k)
        .sort(),
    };
  }
  return { listRows, numericFields };
}

/**
 * Pretty JSON. The file is over Biome's 1 MiB limit, so Biome skips it (with a warning) instead of reformatting it;
 * the freshness test compares parsed content, not text.
 */
export function serialiseSubset(subset: HaloOpenApiSubset): string {
  return `${JSON.stringify(subset, null, 2)}\n`;
}

if (require.main === module) {
  const source = process.argv[2] ?? FULL_SPEC_PATH;
  if (!existsSync(source)) {
    console.error(`Halo OpenAPI spec not found at ${source}`);
    process.exit(1);
  }
  const subset = extractHaloOpenApiSubset(JSON.parse(readFileSync(source, 'utf8')));
  writeFileSync(SUBSET_PATH, serialiseSubset(subset));
  writeFileSync(SIM_FACTS_PATH, `${JSON.stringify(haloSimFacts(subset), null, 2)}\n`);
  console.log(
    `wrote ${SUBSET_PATH}: ${Object.keys(subset.requestBodies).length} request bodies, ${Object.keys(subset.components.schemas).length} schemas`,
  );
}
