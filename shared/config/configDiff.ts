import { formatPath } from './zodIssues';

export interface ConfigChange {
  readonly kind: 'added' | 'removed' | 'changed';
  /** JSON path, e.g. `$.mailboxes[1].address`. */
  readonly path: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

/** What changes between two config documents, path by path (objects by key, arrays by index). */
export function diffConfigDocuments(before: unknown, after: unknown, path: PropertyKey[] = []): ConfigChange[] {
  const here = formatPath(path, '$');
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((key) => {
      if (!(key in after))
        return [{ kind: 'removed' as const, path: formatPath([...path, key], '$'), before: before[key] }];
      if (!(key in before))
        return [{ kind: 'added' as const, path: formatPath([...path, key], '$'), after: after[key] }];
      return diffConfigDocuments(before[key], after[key], [...path, key]);
    });
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const changes: ConfigChange[] = [];
    for (let i = 0; i < Math.max(before.length, after.length); i++) {
      const at = formatPath([...path, i], '$');
      if (i >= after.length) changes.push({ kind: 'removed', path: at, before: before[i] });
      else if (i >= before.length) changes.push({ kind: 'added', path: at, after: after[i] });
      else changes.push(...diffConfigDocuments(before[i], after[i], [...path, i]));
    }
    return changes;
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ kind: 'changed', path: here, before, after }];
}

export function describeChange(change: ConfigChange): string {
  const show = (value: unknown) => {
    const text = JSON.stringify(value);
    return text.length > 100 ? `${text.slice(0, 97)}...` : text;
  };
  if (change.kind === 'added') return `+ ${change.path}: ${show(change.after)}`;
  if (change.kind === 'removed') return `- ${change.path}: ${show(change.before)}`;
  return `~ ${change.path}: ${show(change.before)} -> ${show(change.after)}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
