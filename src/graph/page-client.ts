/**
 * The script of the topology page (plain browser JavaScript, kept as text: it runs in the page,
 * not in node). It fills the table of links from the topology JSON in the page; on a live page
 * (`<body data-live>`) it also follows the server's events: `graph` (a new picture and topology),
 * `topology` (new state, same picture), `rates` (counters and rates per interface, each second).
 */
export const PAGE_SCRIPT = String.raw`(() => {
  'use strict';
  const $ = (id) => document.getElementById(id);
  let topology = JSON.parse($('topology').textContent);
  let rates = {};

  const el = (tag, attrs, ...kids) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    for (const k of kids) e.append(k);
    return e;
  };
  const shapeText = (s) => s ? ['delay', 'jitter', 'loss', 'duplicate', 'reorder', 'corrupt', 'rate', 'limit']
    .filter((k) => s[k] !== undefined).map((k) => k + ' ' + s[k]).join(' ') : '';
  const si = (n, unit) => {
    if (n === undefined) return '';
    const steps = ['', 'k', 'M', 'G', 'T'];
    let i = 0;
    while (Math.abs(n) >= 1000 && i < steps.length - 1) { n /= 1000; i++; }
    return (i === 0 ? String(Math.round(n)) : n.toFixed(n < 10 ? 2 : 1)) + ' ' + steps[i] + unit;
  };
  const endName = (e) => e.ns !== undefined ? e.ns + '.' + e.ifname : e.ifname;
  const stateOf = (e) => e.up === undefined ? '' : !e.up ? 'down' : e.carrier === false ? 'no carrier' : 'up';
  const linkName = (edge) => {
    if (edge.kind === 'bridge') return edge.b.node.slice(3) + ' (bridge)';
    const other = edge.b.ifname !== undefined ? endName(edge.b) : edge.b.node;
    const what = edge.kind === 'vxlan' && edge.tunnel ? 'vxlan vni ' + edge.tunnel.vni
      : edge.kind === 'macvlan' && edge.macvlanMode ? 'macvlan ' + edge.macvlanMode : edge.kind;
    return endName(edge.a) + ' \u2194 ' + other + (edge.kind === 'veth' ? '' : ' (' + what + ')');
  };
  // a bridge port's VLANs, as the pictures write them
  const portVlans = (vs) => {
    if (!vs || vs.length === 0) return [];
    const untagged = vs.filter((v) => v.untagged || v.pvid).map((v) => v.id);
    const tagged = vs.filter((v) => !v.untagged && !v.pvid).map((v) => v.id);
    return [untagged.length ? 'vlan ' + untagged.join(',') + ' untagged' : '', tagged.length ? 'vlan ' + tagged.join(',') : ''].filter(Boolean);
  };
  const published = (p) => p.proto + ' ' + p.port + ' \u2192 ' + (p.to.includes(':') ? '[' + p.to + ']' : p.to) + ':' + p.toPort;

  function renderTable() {
    const body = $('links-body');
    const rows = [];
    for (const edge of topology.edges) {
      const ends = [edge.a, edge.b].filter((e) => e.ifname !== undefined && e.ns !== undefined);
      ends.forEach((end, i) => {
        const key = end.ns + '.' + end.ifname;
        const state = stateOf(end);
        const vlans = (end.vlans || []).map((v) => v.ifname + ' (vlan ' + v.id + ') ' + v.addresses.join(' '));
        const tr = el('tr', { 'data-if': key, 'data-edge': edge.key, class: i === 0 ? 'first' : '' },
          el('td', { class: 'link' }, i === 0 ? linkName(edge) : ''),
          el('td', { class: 'ifname' }, key),
          el('td', { class: 'state state-' + state.replace(' ', '-') }, state),
          el('td', { class: 'addrs' }, [...portVlans(end.portVlans), ...end.addresses, ...vlans].join('\n')),
          el('td', { class: 'shape' }, [shapeText(end.shape), end.mtu && end.mtu !== 1500 ? 'mtu ' + end.mtu : ''].filter(Boolean).join(', ')),
          el('td', { class: 'num rx-pps' }), el('td', { class: 'num tx-pps' }),
          el('td', { class: 'num rx-bps' }), el('td', { class: 'num tx-bps' }),
          el('td', { class: 'num rx-packets' }), el('td', { class: 'num tx-packets' }));
        rows.push(tr);
      });
    }
    body.replaceChildren(...rows);
    const others = [];
    for (const n of topology.nodes) {
      for (const i of n.interfaces || []) {
        others.push(el('tr', {}, el('td', {}, n.label + '.' + i.ifname), el('td', {}, i.kind),
          el('td', { class: 'state state-' + (i.up ? 'up' : 'down') }, i.up ? 'up' : 'down'), el('td', { class: 'addrs' }, i.addresses.join('\n'))));
      }
    }
    $('others').hidden = others.length === 0;
    $('others-body').replaceChildren(...others);
    const nat = topology.nodes.filter((n) => n.nat || n.published).map((n) => el('tr', { 'data-ns': n.label },
      el('td', { class: 'link' }, n.label), el('td', { class: 'nat' }, n.nat ? 'masquerades what it forwards' : ''),
      el('td', { class: 'published' }, (n.published || []).map(published).join('\n'))));
    $('nat').hidden = nat.length === 0;
    $('nat-body').replaceChildren(...nat);
    renderRates();
  }

  function renderRates() {
    const busy = new Set();
    for (const tr of document.querySelectorAll('#links-body tr')) {
      const r = rates[tr.getAttribute('data-if')];
      const set = (cls, text) => { tr.querySelector('.' + cls).textContent = text; };
      if (!r) continue;
      set('rx-pps', si(r.rxPps, 'pkt/s')); set('tx-pps', si(r.txPps, 'pkt/s'));
      set('rx-bps', si(r.rxBps, 'B/s')); set('tx-bps', si(r.txBps, 'B/s'));
      set('rx-packets', si(r.rxPackets, '')); set('tx-packets', si(r.txPackets, ''));
      if (r.rxPps > 0 || r.txPps > 0) busy.add(tr.getAttribute('data-edge'));
    }
    for (const g of document.querySelectorAll('#graph g.edge')) g.classList.toggle('busy', busy.has(g.id));
  }

  if (!document.body.hasAttribute('data-live')) {
    // a picture written to a file: the counters it was read with
    for (const e of topology.edges) {
      for (const end of [e.a, e.b]) if (end.stats) rates[end.ns + '.' + end.ifname] = { rxPackets: end.stats.rxPackets, txPackets: end.stats.txPackets };
    }
    renderTable();
    return;
  }
  renderTable();
  const status = $('status');
  const events = new EventSource('/events');
  const live = () => { status.textContent = 'live'; status.className = 'live'; };
  events.onopen = live;
  events.onerror = () => { status.textContent = 'disconnected'; status.className = 'off'; };
  events.addEventListener('graph', (ev) => {
    const m = JSON.parse(ev.data);
    $('graph').innerHTML = m.svg;
    topology = m.topology;
    renderTable();
    live();
  });
  events.addEventListener('topology', (ev) => { topology = JSON.parse(ev.data); renderTable(); live(); });
  events.addEventListener('rates', (ev) => { rates = JSON.parse(ev.data); renderRates(); });
  events.addEventListener('gone', (ev) => { status.textContent = JSON.parse(ev.data); status.className = 'off'; });
})();
`;
