/** `appliedChanges` → `applied changes`, `linkTenant` → `link tenant`: count keys and change kinds for people. */
export function words(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[-_]+/g, ' ')
    .toLowerCase();
}

/** The non-zero counts in words: "4 tenants, 18 applied changes". */
export function describeCounts(counts: Readonly<Record<string, number>>): string {
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([key, n]) => `${n} ${words(key)}`)
    .join(', ');
}

/** "3 min ago" / "in 2 h" for a time difference in milliseconds (positive: in the future). */
export function relative(deltaMs: number): string {
  const future = deltaMs > 0;
  const s = Math.abs(deltaMs) / 1000;
  const text =
    s < 45
      ? `${Math.round(s)} s`
      : s < 45 * 60
        ? `${Math.round(s / 60)} min`
        : s < 36 * 3600
          ? `${Math.round(s / 3600)} h`
          : `${Math.round(s / 86400)} d`;
  return future ? `in ${text}` : `${text} ago`;
}

export function duration(ms: number | undefined): string {
  if (ms === undefined) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 60_000)} min`;
}
