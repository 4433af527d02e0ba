import { CONSOLE_ASSETS, CONSOLE_BASE } from '../assets';
import type { ConsolePrincipal } from '../principal';
import { html, type SafeHtml } from './html';

export const PAGES = [
  { id: 'overview', title: 'Overview', path: CONSOLE_BASE },
  { id: 'mail', title: 'Mail', path: `${CONSOLE_BASE}/mail` },
  { id: 'scripts', title: 'Scripts', path: `${CONSOLE_BASE}/scripts` },
  { id: 'syncs', title: 'Syncs', path: `${CONSOLE_BASE}/syncs` },
  { id: 'failures', title: 'Failures', path: `${CONSOLE_BASE}/failures` },
  { id: 'budget', title: 'Halo budget', path: `${CONSOLE_BASE}/budget` },
] as const;

export type PageId = (typeof PAGES)[number]['id'];

/** What every page knows besides its data. */
export interface PageContext {
  readonly principal: ConsolePrincipal;
  readonly now: Date;
}

/** The page shell: header with navigation and who is signed in, then the page's own content. */
export function layout(current: PageId, title: string, context: PageContext, body: SafeHtml): string {
  const { principal } = context;
  return `<!doctype html>${html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title} · halo-bridge</title>
<link rel="icon" href="${CONSOLE_BASE}/assets/${CONSOLE_ASSETS.icon.name}" type="image/svg+xml">
<link rel="stylesheet" href="${CONSOLE_BASE}/assets/${CONSOLE_ASSETS.css.name}">
<script src="${CONSOLE_BASE}/assets/${CONSOLE_ASSETS.js.name}" defer></script>
</head>
<body>
<header>
<strong>halo-bridge</strong>
<nav>${PAGES.map((page) => html`<a href="${page.path}"${page.id === current ? html` aria-current="page"` : ''}>${page.title}</a>`)}</nav>
<span class="who">${principal.name} · ${principal.access === 'operate' ? 'operator' : 'read-only'} · <a href="/.auth/logout?post_logout_redirect_uri=${encodeURIComponent(CONSOLE_BASE)}">sign out</a></span>
</header>
<main>
<h1>${title}</h1>
${body}
</main>
</body>
</html>`}`;
}

/** A link to the next page of a list, keeping the other query parameters. */
export function olderLink(path: string, query: Record<string, unknown>, next: string | undefined): SafeHtml {
  if (!next) return html``;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '' || key === 'after') continue;
    params.set(key, value instanceof Date ? value.toISOString() : String(value));
  }
  params.set('after', next);
  return html`<div class="pager"><a href="${path}?${params.toString()}" rel="next">Older →</a></div>`;
}
