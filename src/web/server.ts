/**
 * The live view's HTTP server: on 127.0.0.1 only, read-only (GET alone; 405 otherwise), and only
 * for requests whose Host is this server's own (`127.0.0.1:PORT` or `localhost:PORT`), so a page
 * of another site that rebinds its name to 127.0.0.1 reads nothing. It serves the page, its script,
 * the topology (JSON, SVG) and /events, a stream of Server-Sent Events: `graph` when the picture
 * changed (a link up or down, a namespace added …), `topology` when only the topology's state
 * did, `rates` each second. Every asset is nsh's own: the page loads nothing from elsewhere.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { toDot } from '../graph/dot.js';
import { toHtml } from '../graph/html.js';
import { PAGE_SCRIPT } from '../graph/page-client.js';
import { dotToSvg } from '../graph/svg.js';
import { topologyOf, withoutCounters, type Topology } from '../graph/topology.js';
import type { LiveSource } from './live-source.js';
import { countersOf, ratesBetween, type Counters, type Rate } from './rates.js';

export const DEFAULT_PORT = 7878;

export interface WebServerOptions {
  /** The lab's name, shown on the page. */
  readonly lab: string;
  /** Default 7878; 0 picks a free port. */
  readonly port?: number;
  /** How often the lab is read when the source cannot tell of changes (default 500 ms). */
  readonly pollMs?: number;
}

export interface WebServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const HEADERS: Readonly<Record<string, string>> = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
};

/** The view's state: the last picture, the topology without counters, the last counters and rates. */
interface View {
  topology: Topology;
  dot: string;
  svg: string;
  json: string;
  counters?: Counters;
  rates: Record<string, Rate>;
  /** A sentence while the lab cannot be read (it was taken down). */
  gone?: string;
}

function event(name: string, data: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** Starts serving; resolves once the lab was read once and the port is listening. */
export async function startWebServer(source: LiveSource, opts: WebServerOptions): Promise<WebServer> {
  const clients = new Set<http.ServerResponse>();
  const broadcast = (text: string) => {
    for (const c of clients) c.write(text);
  };
  let view: View | undefined;
  let lastRatesAt = 0;

  /** Reads the lab and tells the pages what changed. */
  const refresh = async (): Promise<void> => {
    let t: Topology;
    try {
      t = topologyOf(await source.snapshot(), { lab: opts.lab });
    } catch (e) {
      const why = `the lab cannot be read: ${(e as Error).message}`;
      if (view && view.gone !== why) {
        view.gone = why;
        broadcast(event('gone', why));
      }
      if (!view) throw e;
      return;
    }
    const now = Date.now();
    const bare = withoutCounters(t);
    const dot = toDot(bare);
    const json = JSON.stringify(bare);
    if (!view || view.dot !== dot) {
      const svg = await dotToSvg(dot);
      view = { topology: bare, dot, svg, json, rates: view?.rates ?? {}, ...(view?.counters ? { counters: view.counters } : {}) };
      broadcast(event('graph', { svg, topology: bare }));
    } else if (view.json !== json || view.gone) {
      view.topology = bare;
      view.json = json;
      delete view.gone;
      broadcast(event('topology', bare));
    }
    // counters once a second
    if (now - lastRatesAt >= 950) {
      const counters = countersOf(t, now);
      view.rates = ratesBetween(view.counters, counters);
      view.counters = counters;
      lastRatesAt = now;
      broadcast(event('rates', view.rates));
    }
  };

  // one reading at a time; a change told while one runs asks for one more after it
  let running: Promise<void> | undefined;
  let again = false;
  const tick = (): void => {
    if (running) {
      again = true;
      return;
    }
    running = refresh()
      .catch(() => undefined)
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          tick();
        }
      });
  };

  await refresh();
  const pollMs = opts.pollMs ?? (source.onChange ? 1000 : 500);
  const timer = setInterval(tick, pollMs);
  const stopWatching = source.onChange?.(tick);
  const keepAlive = setInterval(() => broadcast(': keep-alive\n\n'), 15_000);

  let port = opts.port ?? DEFAULT_PORT;
  const server = http.createServer((req, res) => {
    const allowed = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
    const send = (status: number, type: string, body: string, more: Record<string, string> = {}) => {
      res.writeHead(status, { ...HEADERS, 'Content-Type': type, ...more });
      res.end(body);
    };
    if (!allowed.has(req.headers.host ?? '')) return send(403, 'text/plain; charset=utf-8', 'nsh web answers only requests for 127.0.0.1 and localhost\n');
    if (req.method !== 'GET') return send(405, 'text/plain; charset=utf-8', 'nsh web is read-only: GET only\n', { Allow: 'GET' });
    const v = view!;
    const route = new URL(req.url ?? '/', `http://${allowed.values().next().value}`).pathname;
    switch (route) {
      case '/':
        return send(200, 'text/html; charset=utf-8', toHtml(v.topology, v.svg, { live: true }));
      case '/app.js':
        return send(200, 'text/javascript; charset=utf-8', PAGE_SCRIPT);
      case '/topology.json':
        return send(200, 'application/json', JSON.stringify(v.topology, null, 2) + '\n');
      case '/graph.svg':
        return send(200, 'image/svg+xml', v.svg);
      case '/events': {
        res.writeHead(200, { ...HEADERS, 'Content-Type': 'text/event-stream', Connection: 'keep-alive' });
        res.write(`retry: 1000\n\n${event('graph', { svg: v.svg, topology: v.topology })}${event('rates', v.rates)}`);
        if (v.gone) res.write(event('gone', v.gone));
        clients.add(res);
        req.on('close', () => clients.delete(res));
        return;
      }
      default:
        return send(404, 'text/plain; charset=utf-8', 'not found\n');
    }
  });

  const stop = () => {
    clearInterval(timer);
    clearInterval(keepAlive);
    stopWatching?.();
  };
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    stop();
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new Error(`port ${port} of 127.0.0.1 is in use: --port N picks another`);
    if (code === 'EACCES') throw new Error(`port ${port} needs privileges this process does not have: --port N picks another`);
    throw e;
  }
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    close: async () => {
      stop();
      for (const c of clients) c.end();
      clients.clear();
      await new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await running;
    },
  };
}
