import type { HaloSimStore, TableName } from './store';
import type { Rec } from './types';

type Getter = (row: Rec) => unknown;

interface SqlTable {
  table: TableName;
  columns: Record<string, Getter>;
}

const field =
  (name: string): Getter =>
  (row) =>
    row[name] ?? null;

/** Custom field `X` is column `CFX` (halo-api.md §6); select values read as their value. */
function customField(row: Rec, column: string): unknown {
  const name = column.slice(2).toLowerCase();
  const fields = Array.isArray(row.customfields) ? (row.customfields as Rec[]) : [];
  const found = fields.find((f) => String(f.name ?? '').toLowerCase() === name);
  return found ? (found.value ?? null) : undefined;
}

/** The SQL tables and column names seen in the wild (halo-api.md §2.8), mapped onto the simulator's records. */
const TABLES: Record<string, SqlTable> = {
  area: {
    table: 'clients',
    columns: {
      aarea: field('id'),
      aareadesc: field('name'),
      awebsite: field('website'),
      ainactive: (row) => (row.inactive ? 1 : 0),
    },
  },
  site: {
    table: 'sites',
    columns: {
      ssitenum: field('id'),
      sdesc: field('name'),
      sarea: field('client_id'),
      sisinvoicesite: (row) => (row.isinvoicesite ? 1 : 0),
      sinactive: (row) => (row.inactive ? 1 : 0),
    },
  },
  users: {
    table: 'users',
    columns: {
      uid: field('id'),
      uusername: field('name'),
      uemail: field('emailaddress'),
      usite: field('site_id'),
      uazureoid: field('azureoid'),
      uextn: field('phonenumber'),
      umobile: field('mobilenumber'),
      uinactive: (row) => (row.inactive ? 1 : 0),
    },
  },
};

export type ReportResult = { rows: Record<string, unknown>[] } | { loadError: string };

/**
 * Runs the subset of SQL the simulator understands: `SELECT <col> [AS alias], … | * FROM AREA|SITE|USERS
 * [WHERE <col> = <number|'text'>]`. Anything else answers a load_error, as Halo does for bad SQL.
 */
export function runReportSql(store: HaloSimStore, sql: string): ReportResult {
  const match = /^\s*select\s+(.+?)\s+from\s+(\w+)(?:\s+where\s+(\w+)\s*=\s*('(?:[^']|'')*'|-?\d+))?\s*;?\s*$/is.exec(
    sql,
  );
  if (!match) return { loadError: `Incorrect syntax near '${sql.trim().split(/\s+/).slice(0, 3).join(' ')}'.` };
  const [, columnList, tableName, whereColumn, whereLiteral] = match;
  const table = TABLES[tableName!.toLowerCase()];
  if (!table) return { loadError: `Invalid object name '${tableName}'.` };

  const read = (row: Rec, column: string): unknown => {
    const key = column.toLowerCase();
    const getter = table.columns[key];
    if (getter) return getter(row);
    if (key.startsWith('cf')) return customField(row, column);
    return undefined;
  };
  const selected =
    columnList!.trim() === '*'
      ? Object.keys(table.columns).map((c) => ({ column: c, alias: c }))
      : columnList!.split(',').map((part) => {
          const [column, alias] = part.trim().split(/\s+as\s+/i);
          return { column: column!.trim(), alias: (alias ?? column!).trim() };
        });

  const rows = [...store.tables[table.table].values()];
  for (const { column } of selected) {
    if (!table.columns[column.toLowerCase()] && !column.toLowerCase().startsWith('cf')) {
      return { loadError: `Invalid column name '${column}'.` };
    }
  }
  let filtered = rows;
  if (whereColumn) {
    const literal = whereLiteral!.startsWith("'")
      ? whereLiteral!.slice(1, -1).replace(/''/g, "'")
      : Number(whereLiteral);
    filtered = rows.filter((row) => {
      const value = read(row, whereColumn);
      return typeof literal === 'number' ? Number(value) === literal : String(value ?? '') === literal;
    });
  }
  return {
    rows: filtered.map((row) =>
      Object.fromEntries(selected.map(({ column, alias }) => [alias, read(row, column) ?? null])),
    ),
  };
}
