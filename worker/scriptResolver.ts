import { createHash } from 'node:crypto';
import { readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';

export type ScriptResolution =
  | { readonly ok: true; readonly path: string; readonly sha256: string; readonly key: string }
  | {
      readonly ok: false;
      readonly reason: 'scriptOutsideFolder' | 'scriptNotFound' | 'pinMismatch';
      readonly detail: string;
    };

export interface ScriptPolicy {
  readonly scriptFolder: string;
  /** Expected SHA-256 (lowercase hex) per script path relative to the folder, with forward slashes. */
  readonly pins: Readonly<Record<string, string | undefined>>;
  readonly requirePins: boolean;
}

/**
 * Turns a job's script name into a file the worker may run. Refused: absolute paths (POSIX, drive letters, UNC),
 * any `..` segment, and anything whose real path (after following symlinks) is not inside the real script folder.
 * Then the file's SHA-256 must match its pin, if it has one (or if pins are required).
 */
export async function resolveScript(name: string, policy: ScriptPolicy): Promise<ScriptResolution> {
  const outside = (detail: string): ScriptResolution => ({ ok: false, reason: 'scriptOutsideFolder', detail });
  if (name.includes('\u0000')) return outside('the script name contains a NUL character');
  if (isAbsolute(name) || /^[A-Za-z]:/.test(name) || /^[\\/]/.test(name)) {
    return outside(`${JSON.stringify(name)} is an absolute path`);
  }
  const segments = name.split(/[\\/]+/);
  if (segments.some((segment) => segment === '..')) return outside(`${JSON.stringify(name)} contains ".."`);

  let folder: string;
  let real: string;
  try {
    folder = await realpath(policy.scriptFolder);
    real = await realpath(join(folder, ...segments));
  } catch {
    return {
      ok: false,
      reason: 'scriptNotFound',
      detail: `${JSON.stringify(name)} does not exist in the script folder`,
    };
  }
  const inside = relative(folder, real);
  if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)) {
    return outside(`${JSON.stringify(name)} resolves outside the script folder`);
  }
  if (!(await stat(real)).isFile()) {
    return { ok: false, reason: 'scriptNotFound', detail: `${JSON.stringify(name)} is not a file` };
  }
  const sha256 = await fileSha256(real);
  const key = segments.filter((s) => s !== '' && s !== '.').join('/');
  const pin = policy.pins[key];
  if (pin === undefined && policy.requirePins) {
    return { ok: false, reason: 'pinMismatch', detail: `${key} has no SHA-256 pin and pins are required` };
  }
  if (pin !== undefined && pin !== sha256) {
    return { ok: false, reason: 'pinMismatch', detail: `${key} has SHA-256 ${sha256}, the pin says ${pin}` };
  }
  return { ok: true, path: real, sha256, key };
}

export async function fileSha256(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}
