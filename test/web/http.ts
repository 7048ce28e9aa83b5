/** Requests to the live view's server, as a browser or another local process would make them. */
import * as http from 'node:http';

export interface Reply {
  readonly status: number;
  readonly body: string;
  readonly headers: http.IncomingHttpHeaders;
}

export interface RequestOptions {
  readonly path?: string;
  /** The Host header (default `127.0.0.1:PORT`); null sends none. */
  readonly host?: string | null;
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** One request to 127.0.0.1:port. */
export function request(port: number, opts: RequestOptions = {}): Promise<Reply> {
  const host = opts.host === undefined ? `127.0.0.1:${port}` : opts.host;
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: opts.path ?? '/',
        method: opts.method ?? 'GET',
        setHost: false,
        headers: { ...(host === null ? {} : { Host: host }), ...opts.headers },
      },
      res => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', c => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

export interface ServerEvent {
  readonly event: string;
  readonly data: string;
}

/** Reads Server-Sent Events from /events until `until` says stop; returns them. */
export function events(port: number, until: (evs: readonly ServerEvent[]) => boolean): Promise<ServerEvent[]> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/events', headers: { Host: `localhost:${port}` } }, res => {
      let buf = '';
      const evs: ServerEvent[] = [];
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        buf += c;
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data !== undefined) evs.push({ event, data });
        }
        if (until(evs)) {
          req.destroy();
          resolve(evs);
        }
      });
    });
    req.on('error', e => ((e as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(e)));
  });
}

/** An end of a link, as an event carries it. */
export interface EventEnd {
  readonly ns?: string;
  readonly ifname?: string;
  readonly up?: boolean;
  readonly addresses?: readonly string[];
}

/** A topology as a graph event carries it. */
export interface EventTopology {
  readonly nodes: readonly { readonly key: string }[];
  readonly edges: readonly { readonly key: string; readonly a: EventEnd; readonly b: EventEnd }[];
}

/** The topologies of the graph and topology events, in order. */
export function topologies(evs: readonly ServerEvent[]): EventTopology[] {
  return evs.flatMap(e => (e.event === 'graph' ? [(JSON.parse(e.data) as { topology: EventTopology }).topology] : e.event === 'topology' ? [JSON.parse(e.data) as EventTopology] : []));
}

/** The state of interface `ns.ifname` in a topology (undefined when it is not drawn). */
export function upIn(t: EventTopology, ns: string, ifname: string): boolean | undefined {
  for (const e of t.edges) for (const end of [e.a, e.b]) if (end.ns === ns && end.ifname === ifname) return end.up;
  return undefined;
}
