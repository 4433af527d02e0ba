import type { z } from 'zod';

/** One line per problem, each prefixed with where it is: a setting name or a JSON path such as `mailboxes[2].address`. */
export function formatIssues(error: z.ZodError, root = ''): string[] {
  return error.issues.map((issue) => `${formatPath(issue.path, root) || '(root)'}: ${issue.message}`);
}

export function formatPath(path: readonly PropertyKey[], root = ''): string {
  let out = root;
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`${source} is invalid:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}
