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
