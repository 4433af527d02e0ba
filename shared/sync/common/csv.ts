export type CsvCell = string | number | boolean | null | undefined;

/**
 * RFC 4180 CSV (CRLF line ends, quotes doubled) that spreadsheets will not run: a text cell starting with
 * `=`, `+`, `-`, `@`, tab or carriage return is prefixed with `'` so it is shown, not evaluated.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
