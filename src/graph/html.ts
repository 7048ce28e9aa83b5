/**
 * The topology page: the SVG picture, a table of links (state, addresses and VLANs, shaping,
 * counters), the namespaces' NAT and published ports, and the topology's JSON, in one file that
 * needs no network. `nsh graph -o lab.html` writes it with its script inlined; `nsh web` serves
 * it live, with the script at /app.js (so the page's content security policy allows no inline
 * script).
 */
import { toJson } from './json.js';
import { PAGE_SCRIPT } from './page-client.js';
import type { Topology } from './topology.js';

const STYLE = `
:root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; }
body { margin: 0; background: #f6f7f9; color: #1f2933; }
header { display: flex; align-items: baseline; gap: 1em; padding: 0.6em 1.2em; background: #243b53; color: white; }
header h1 { font-size: 1.2em; margin: 0; font-weight: 600; }
header .sub { opacity: 0.75; font-size: 0.9em; }
#status { margin-left: auto; font-size: 0.85em; padding: 0.15em 0.6em; border-radius: 1em; background: #627d98; }
#status.live { background: #2f8f46; }
#status.off { background: #b83232; }
main { padding: 1em 1.2em; display: grid; gap: 1em; }
section { background: white; border: 1px solid #d9e2ec; border-radius: 6px; padding: 0.8em; overflow: auto; }
section h2 { font-size: 1em; margin: 0 0 0.6em; color: #334e68; }
#graph svg { max-width: 100%; height: auto; display: block; margin: 0 auto; }
#graph g.edge.busy path { stroke: #1f6fd1; stroke-width: 3.5; }
table { border-collapse: collapse; width: 100%; font-size: 0.88em; }
th, td { text-align: left; padding: 0.3em 0.6em; border-bottom: 1px solid #e4e7eb; vertical-align: top; white-space: pre-line; }
th { background: #f0f4f8; color: #334e68; font-weight: 600; }
tr.first td { border-top: 2px solid #d9e2ec; }
td.link { font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.state { font-weight: 600; }
.state-up { color: #2f8f46; }
.state-down { color: #c0392b; }
.state-no-carrier { color: #8a8a8a; }
`;

export interface PageOptions {
  /** Served by `nsh web`: the script is /app.js and follows /events. */
  readonly live: boolean;
}

function text(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** JSON inside a <script> element: `<` written as \u003c, so no `</script>` can end it. */
function scriptJson(json: string): string {
  return json.replace(/</g, '\\u003c');
}

export function toHtml(t: Topology, svg: string, opts: PageOptions = { live: false }): string {
  const name = t.lab ?? 'lab';
  const script = opts.live ? '<script src="/app.js"></script>' : `<script>\n${PAGE_SCRIPT}</script>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${text(name)} · nsh</title>
<style>${STYLE}</style>
</head>
<body${opts.live ? ' data-live' : ''}>
<header><h1>${text(name)}</h1><span class="sub">nsh lab</span><span id="status">${opts.live ? 'connecting' : 'snapshot'}</span></header>
<main>
<section id="graph">${svg}</section>
<section><h2>Links</h2>
<table id="links"><thead><tr><th>link</th><th>interface</th><th>state</th><th>addresses</th><th>shaping</th><th>rx rate</th><th>tx rate</th><th>rx bytes/s</th><th>tx bytes/s</th><th>rx packets</th><th>tx packets</th></tr></thead>
<tbody id="links-body"></tbody></table></section>
<section id="nat" hidden><h2>NAT and published ports</h2>
<table><thead><tr><th>namespace</th><th>nat</th><th>published ports</th></tr></thead><tbody id="nat-body"></tbody></table></section>
<section id="others" hidden><h2>Other interfaces</h2>
<table><thead><tr><th>interface</th><th>kind</th><th>state</th><th>addresses</th></tr></thead><tbody id="others-body"></tbody></table></section>
</main>
<script type="application/json" id="topology">${scriptJson(toJson(t))}</script>
${script}
</body>
</html>
`;
}
