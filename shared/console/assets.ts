import { createHash } from 'node:crypto';

// The console's only stylesheet and script, served by the app itself under content-hashed names (cached for a
// year, never stale). No inline style or script anywhere, so the Content-Security-Policy can forbid both.

const CSS = `
:root{color-scheme:light dark;--bg:#f6f7f9;--fg:#1d2330;--muted:#667085;--card:#fff;--line:#e3e6ea;--accent:#2459c4;
--good:#137333;--good-bg:#e6f4ea;--warn:#8a5a00;--warn-bg:#fef3d6;--bad:#b3261e;--bad-bg:#fce8e6;--neutral-bg:#eef0f3}
@media (prefers-color-scheme:dark){:root{--bg:#14171c;--fg:#e6e8eb;--muted:#98a2b3;--card:#1c2027;--line:#2c323b;
--accent:#7aa2f7;--good:#81c995;--good-bg:#1e3325;--warn:#f2c76e;--warn-bg:#3a2f14;--bad:#f28b82;--bad-bg:#3d1f1d;--neutral-bg:#2a2f37}}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--fg)}
header{display:flex;flex-wrap:wrap;align-items:center;gap:.25rem 1rem;padding:.6rem 1rem;background:var(--card);border-bottom:1px solid var(--line)}
header strong{font-size:15px;margin-right:.5rem}
nav{display:flex;flex-wrap:wrap;gap:.15rem}
nav a{padding:.3rem .6rem;border-radius:6px;color:var(--fg);text-decoration:none}
nav a[aria-current=page]{background:var(--neutral-bg);font-weight:600}
header .who{margin-left:auto;color:var(--muted);font-size:13px}
main{padding:1rem;max-width:1400px;margin:0 auto}
h1{font-size:20px;margin:.2rem 0 1rem}h2{font-size:16px;margin:1.4rem 0 .5rem}
a{color:var(--accent)}
.muted{color:var(--muted)}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:.75rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:.75rem .9rem}
.card h3{font-size:14px;margin:0 0 .35rem;display:flex;justify-content:space-between;align-items:flex-start;gap:.5rem}
.card h3 .badge{flex:none}
.card p{margin:.2rem 0}
.scroll{overflow-x:auto;background:var(--card);border:1px solid var(--line);border-radius:10px}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.45rem .6rem;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:12px;text-transform:uppercase;letter-spacing:.03em;color:var(--muted);font-weight:600;white-space:nowrap}
tr:last-child td{border-bottom:0}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.badge{display:inline-block;padding:.05rem .45rem;border-radius:999px;font-size:12px;font-weight:600;background:var(--neutral-bg);white-space:nowrap}
.badge.good{color:var(--good);background:var(--good-bg)}.badge.warn{color:var(--warn);background:var(--warn-bg)}
.badge.bad{color:var(--bad);background:var(--bad-bg)}
pre{margin:.3rem 0;padding:.5rem .6rem;background:var(--bg);border:1px solid var(--line);border-radius:6px;white-space:pre-wrap;word-break:break-word;max-height:22rem;overflow:auto;font-size:12px}
details summary{cursor:pointer;color:var(--accent)}
form.filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end;margin:0 0 .75rem}
form.filters label{display:flex;flex-direction:column;font-size:12px;color:var(--muted);gap:.15rem}
input,select,button{font:inherit;padding:.35rem .5rem;border:1px solid var(--line);border-radius:6px;background:var(--card);color:var(--fg)}
button{cursor:pointer;background:var(--accent);color:#fff;border-color:var(--accent)}
button.secondary{background:var(--card);color:var(--fg);border-color:var(--line)}
button:disabled{opacity:.6;cursor:default}
form.inline{display:inline}
.ok{color:var(--good)}.error{color:var(--bad)}
.notice{padding:.6rem .8rem;border-radius:8px;background:var(--warn-bg);color:var(--warn);margin:.5rem 0}
.pager{margin:.6rem 0;display:flex;gap:1rem}
svg.chart{width:100%;height:auto;background:var(--card);border:1px solid var(--line);border-radius:10px}
svg.chart text{fill:var(--muted);font-size:11px}
svg.chart .grid{stroke:var(--line);stroke-width:1}
svg.chart .limit{stroke:var(--bad);stroke-width:1.5;stroke-dasharray:6 4;fill:none}
svg.chart .throttled{fill:var(--bad)}
.legend{display:flex;flex-wrap:wrap;gap:.3rem 1rem;margin:.4rem 0;font-size:13px}
.swatch{display:inline-block;width:.8rem;height:.8rem;border-radius:2px;margin-right:.3rem;vertical-align:-1px}
.s0{fill:#4e79a7;background:#4e79a7}.s1{fill:#f28e2b;background:#f28e2b}.s2{fill:#59a14f;background:#59a14f}
.s3{fill:#b07aa1;background:#b07aa1}.s4{fill:#76b7b2;background:#76b7b2}.s5{fill:#edc948;background:#edc948}
.s6{fill:#9c755f;background:#9c755f}.s7{fill:#bab0ac;background:#bab0ac}
@media (max-width:640px){main{padding:.6rem}th,td{padding:.35rem .4rem}.hide-narrow{display:none}}
`;

const JS = `'use strict';
// Console actions (replay, dismiss, start a sync): POST with the console header, show the answer, reload.
document.addEventListener('submit', async (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-action')) return;
  event.preventDefault();
  const question = form.getAttribute('data-confirm');
  if (question && !window.confirm(question)) return;
  const button = form.querySelector('button');
  let status = form.querySelector('[data-status]');
  if (!status) {
    status = document.createElement('span');
    status.setAttribute('data-status', '');
    status.setAttribute('role', 'status');
    form.appendChild(status);
  }
  if (button) button.disabled = true;
  status.className = 'muted';
  status.textContent = ' working…';
  const body = {};
  new FormData(form).forEach((value, key) => {
    if (value !== '') body[key] = value;
  });
  try {
    const response = await fetch(form.action, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-halo-bridge-console': '1' },
      body: JSON.stringify(body),
    });
    const result = await response.json().catch(() => ({}));
    status.className = response.ok ? 'ok' : 'error';
    status.textContent = ' ' + (result.message || result.error || response.status + ' ' + response.statusText);
    if (response.ok) setTimeout(() => window.location.reload(), 1200);
    else if (button) button.disabled = false;
  } catch (error) {
    status.className = 'error';
    status.textContent = ' ' + error.message;
    if (button) button.disabled = false;
  }
});
`;

export interface Asset {
  readonly name: string;
  readonly contentType: string;
  readonly body: string;
}

function asset(stem: string, extension: string, contentType: string, body: string): Asset {
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 10);
  return { name: `${stem}.${hash}.${extension}`, contentType, body };
}

const ICON =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#2459c4"/><path d="M4 4v8M12 4v8M4 8h8" stroke="#fff" stroke-width="2"/></svg>';

export const CONSOLE_ASSETS = {
  css: asset('console', 'css', 'text/css; charset=utf-8', CSS),
  js: asset('console', 'js', 'text/javascript; charset=utf-8', JS),
  icon: asset('icon', 'svg', 'image/svg+xml', ICON),
} as const;

export function findAsset(name: string): Asset | undefined {
  return Object.values(CONSOLE_ASSETS).find((a) => a.name === name);
}

/** Where the console's pages, JSON and assets live (the Functions routePrefix is `api`). */
export const CONSOLE_BASE = '/api/console';
