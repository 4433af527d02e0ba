import type { AssetMatchKey } from '../../config/integration/intune';
import { valueText } from './deviceValues';
import type { DeviceValue } from './types';

const ZERO_GUID = /^0{8}-0{4}-0{4}-0{4}-0{12}$/;
/** `0000000`, `xxxxxxxx`, `--------`: one character repeated is a placeholder, not a serial number. */
const ONE_CHARACTER_REPEATED = /^(.)\1*$/;

/**
 * The value a matching key compares, normalised (case and surrounding space ignored), or '' when the value
 * identifies nothing: blank, a vendor placeholder serial ("System Serial Number", "To be filled by O.E.M.",
 * "Default string", `0`, a repeated character), or the all-zero Entra device id Intune reports for devices not
 * registered in Entra.
 */
export function identifierOf(
  key: AssetMatchKey,
  value: DeviceValue | undefined,
  ignoredSerialNumbers: ReadonlySet<string>,
): string {
  const text = valueText(value).toLowerCase();
  if (text === '') return '';
  switch (key) {
    case 'serialNumber':
      return ignoredSerialNumbers.has(text) || ONE_CHARACTER_REPEATED.test(text) ? '' : text;
    case 'azureADDeviceId':
    case 'intuneId':
      return ZERO_GUID.test(text) ? '' : text;
    default:
      return text;
  }
}

/** The configured placeholder serials, ready for identifierOf. */
export function ignoredSerials(list: readonly string[]): ReadonlySet<string> {
  return new Set(list.map((s) => s.trim().toLowerCase()));
}
