import type { FieldMapping } from '../../config/integration/intune';
import type { DeviceValue } from './types';

/** Intune's "never" timestamp (a device that never synced, an unset date). */
const DATE_NOT_SET = /^0001-01-01/;

/** A device value as Halo text; undefined when the device has none (a mapping then leaves Halo's value alone). */
export function formatDeviceValue(value: DeviceValue | undefined, format: FieldMapping['format']): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string' && (value.trim() === '' || DATE_NOT_SET.test(value))) return undefined;
  switch (format) {
    case 'gigabytes': {
      const bytes = Number(value);
      if (!Number.isFinite(bytes) || bytes <= 0) return undefined;
      return String(Math.round((bytes / 1024 ** 3) * 10) / 10);
    }
    case 'date': {
      const at = Date.parse(String(value));
      return Number.isNaN(at) ? undefined : new Date(at).toISOString().slice(0, 10);
    }
    default:
      return typeof value === 'string' ? value.trim() : String(value);
  }
}

/**
 * Whether Halo already holds `wanted`: compared without surrounding space, booleans and numbers by meaning
 * (`True` = `true` = `1`; `16.0` = `16`), timestamps by instant (Halo drops the `Z`).
 */
export function sameValue(current: string | undefined, wanted: string): boolean {
  const a = (current ?? '').trim();
  const b = wanted.trim();
  if (a === b) return true;
  const flagA = asFlag(a);
  const flagB = asFlag(b);
  if (flagA !== undefined && flagB !== undefined) return flagA === flagB;
  if (isNumeric(a) && isNumeric(b)) return Number(a) === Number(b);
  const timeA = asInstant(a);
  const timeB = asInstant(b);
  return timeA !== undefined && timeA === timeB;
}

function asFlag(text: string): boolean | undefined {
  if (/^(true|yes)$/i.test(text)) return true;
  if (/^(false|no)$/i.test(text)) return false;
  return undefined;
}

function isNumeric(text: string): boolean {
  return text !== '' && Number.isFinite(Number(text));
}

/** A timestamp's instant; a time without a zone is read as UTC (Halo stores UTC and drops the `Z`). */
function asInstant(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text)) return undefined;
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/i.test(text) ? text : `${text}Z`;
  const at = Date.parse(zoned);
  return Number.isNaN(at) ? undefined : at;
}

/** A device value as text for matching and rules: '' when absent. */
export function valueText(value: DeviceValue | undefined): string {
  if (value === null || value === undefined) return '';
  return String(value).trim();
}
