/**
 * Route templates as the Functions host reads them (ASP.NET style): literal segments match case-insensitively;
 * `{name}` takes one segment, `{name?}` may be missing at the end, `{*name}` takes the rest of the path, and a
 * constraint (`{id:int}`, `{id:alpha}`, `{id:guid}`) must hold, other constraints are accepted unchecked.
 */
export interface CompiledRoute {
  readonly template: string;
  match(path: string): Record<string, string> | undefined;
}

type Segment =
  | { kind: 'literal'; text: string }
  | { kind: 'param'; name: string; optional: boolean; catchAll: boolean; constraint?: string };

const CONSTRAINTS: Record<string, RegExp> = {
  int: /^-?\d+$/,
  long: /^-?\d+$/,
  alpha: /^[a-z]+$/i,
  bool: /^(true|false)$/i,
  guid: /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i,
};

export function compileRoute(template: string): CompiledRoute {
  const segments = splitPath(template).map(parseSegment);
  return {
    template,
    match: (path) => matchSegments(segments, splitPath(path)),
  };
}

function splitPath(path: string): string[] {
  return path.split('/').filter((part) => part.length > 0);
}

function parseSegment(text: string): Segment {
  const param = /^\{(\*)?([A-Za-z_][A-Za-z0-9_]*)(?::([^}?=]+))?(\?)?\}$/.exec(text);
  if (!param) {
    if (text.includes('{') || text.includes('}')) throw new Error(`unsupported route segment "${text}"`);
    return { kind: 'literal', text: text.toLowerCase() };
  }
  const [, star, name, constraint, question] = param;
  return { kind: 'param', name: name!, optional: !!question || !!star, catchAll: !!star, constraint };
}

function matchSegments(segments: readonly Segment[], parts: readonly string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const part = parts[i];
    if (segment.kind === 'literal') {
      if (part === undefined || decode(part).toLowerCase() !== segment.text) return undefined;
      continue;
    }
    if (segment.catchAll) {
      if (parts.length > i) params[segment.name] = parts.slice(i).map(decode).join('/');
      return params;
    }
    if (part === undefined) {
      if (!segment.optional) return undefined;
      continue;
    }
    const value = decode(part);
    const check = segment.constraint ? CONSTRAINTS[segment.constraint.toLowerCase()] : undefined;
    if (check && !check.test(value)) return undefined;
    params[segment.name] = value;
  }
  return parts.length <= segments.length ? params : undefined;
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
