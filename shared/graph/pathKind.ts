const ID_LIKE = /^[0-9a-f]{8}-[0-9a-f]{4}-|@|^[A-Za-z0-9_=+-]{40,}$|\d/;

/**
 * A stable label for what a request was about, for statistics: ids, mailboxes and message ids are dropped, so
 * `/v1.0/users/x@y/mailFolders/AQMk…/messages/delta?$deltatoken=…` becomes `users/mailFolders/messages/delta`.
 */
export function pathKind(url: string): string {
  const path = new URL(url, 'https://graph.invalid').pathname.replace(/\('([^']*)'\)/g, '/$1');
  const segments = path
    .split('/')
    .filter(Boolean)
    .map((s) => decodeURIComponent(s));
  if (/^(v1\.0|beta)$/.test(segments[0] ?? '')) segments.shift();
  const kept = segments.filter((segment, index) => index === 0 || !ID_LIKE.test(segment));
  return kept.join('/') || '/';
}
