// The actorwire monitor page (docs/MONITOR.md): renders the snapshots that /api/events pushes.
// Plain browser JavaScript with no build step; charts are uPlot, served by the process itself.
/* global uPlot */
'use strict';
(() => {
  const view = { offset: 0, limit: 50, scopeOffset: 0, scopeLimit: 25 };
  let source;
  let last;

  // ---- formatting ---------------------------------------------------------------------------
  const num = (n, digits = 0) =>
    n === null || n === undefined || Number.isNaN(n) ? '–' : Number(n).toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const rate = (n) => (n >= 100 ? num(n) : num(n, 1));
  const bytes = (n) => {
    if (n === null || n === undefined) return '–';
    const units = ['B', 'KiB', 'MiB', 'GiB'];
    let i = 0;
    while (n >= 1024 && i < units.length - 1) {
      n /= 1024;
      i++;
    }
    return `${i === 0 ? num(n) : num(n, 1)} ${units[i]}`;
  };
  const general = (n) =>
    n === null || n === undefined || Number.isNaN(n) ? '–' : Math.abs(n) >= 1e6 || (Math.abs(n) < 1e-3 && n !== 0) ? Number(n).toExponential(3) : Number(n).toLocaleString('en-US', { maximumSignificantDigits: 4 });
  const el = (tag, attrs = {}, text) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  };

  // ---- charts -------------------------------------------------------------------------------
  /** Tick steps for axes of whole numbers (steps, episodes). */
  const WHOLE = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000];
  function sparkline(cell, values) {
    const xs = values.map((_, i) => i);
    if (cell.plot) {
      cell.plot.setData([xs, values]);
      return;
    }
    cell.textContent = '';
    cell.plot = new uPlot(
      {
        width: 160,
        height: 28,
        legend: { show: false },
        cursor: { show: false },
        select: { show: false },
        axes: [{ show: false }, { show: false }],
        scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
        series: [{}, { stroke: '#2764c5', fill: 'rgba(39,100,197,0.15)', width: 1, points: { show: false } }],
      },
      [xs, values],
      cell,
    );
  }

  function chart(holder, key, make, data) {
    holder.plots ??= new Map();
    let entry = holder.plots.get(key);
    if (entry && entry.shape !== make.shape) {
      entry.plot.destroy();
      entry.box.remove();
      entry = undefined;
    }
    if (!entry) {
      const box = el('div', { class: 'plot', 'data-plot': key });
      holder.appendChild(box);
      entry = { plot: new uPlot(make.options, data, box), box, shape: make.shape };
      holder.plots.set(key, entry);
    } else {
      entry.plot.setData(data);
    }
    entry.seen = true;
  }

  function sweepCharts(holder) {
    for (const [key, entry] of holder.plots ?? []) {
      if (!entry.seen) {
        entry.plot.destroy();
        entry.box.remove();
        holder.plots.delete(key);
      }
      entry.seen = false;
    }
  }

  // ---- tables: rows kept by key, so that sparklines survive updates --------------------------
  function syncRows(tbody, items, key, cells) {
    tbody.rows_ ??= new Map();
    const keep = new Set();
    let previous = null;
    for (const item of items) {
      const k = key(item);
      keep.add(k);
      let tr = tbody.rows_.get(k);
      if (!tr) {
        tr = el('tr', { 'data-key': k });
        for (let i = 0; i < cells.length; i++) tr.appendChild(el('td'));
        tbody.rows_.set(k, tr);
      }
      cells.forEach((cell, i) => {
        const td = tr.children[i];
        const value = cell(item);
        if (value && typeof value === 'object' && 'spark' in value) {
          td.className = 'spark-cell';
          sparkline(td, value.spark);
        } else {
          if (value && typeof value === 'object') {
            td.className = value.cls || '';
            td.textContent = value.text;
          } else td.textContent = value;
        }
      });
      const expected = previous ? previous.nextSibling : tbody.firstChild;
      if (expected !== tr) tbody.insertBefore(tr, expected);
      previous = tr;
    }
    for (const [k, tr] of tbody.rows_) {
      if (!keep.has(k)) {
        tr.remove();
        tbody.rows_.delete(k);
      }
    }
  }

  function pager(list, page) {
    const box = document.querySelector(`.pager[data-list="${list}"]`);
    const first = page.total === 0 ? 0 : page.offset + 1;
    box.querySelector('span').textContent = `${first}–${page.offset + page.items.length} of ${page.total}`;
    box.hidden = page.total <= page.limit && page.offset === 0;
  }

  // ---- panels -------------------------------------------------------------------------------
  function renderServices(s) {
    syncRows(document.querySelector('#services tbody'), s.services, (v) => v.name, [
      (v) => `${v.name}`,
      (v) => ({ text: v.address ?? '–', cls: 'text' }),
      (v) => num(v.connections.active),
      (v) => num(v.connections.acceptedTotal),
      (v) => num(v.connections.refusedTotal),
      (v) => num(v.connections.held),
      (v) => rate(v.rates.framesIn),
      (v) => rate(v.rates.framesOut),
      (v) => bytes(v.rates.bytesIn),
      (v) => bytes(v.rates.bytesOut),
      (v) => `${num(v.traffic.queuedFrames)} / ${bytes(v.traffic.queuedBytes)}`,
      (v) => num(v.connections.errorsTotal),
      (v) => ({ spark: v.framesInHistory }),
    ]);
  }

  function renderConnections(s) {
    document.getElementById('connections-total').textContent = `${num(s.connections.total)} live`;
    const states = document.getElementById('states');
    states.textContent = '';
    for (const v of s.services) {
      for (const [state, n] of Object.entries(v.states)) states.appendChild(el('span', { 'data-state': `${v.name} ${state}` }, `${v.name}: ${state} × ${n}`));
    }
    syncRows(document.querySelector('#connections tbody'), s.connections.items, (c) => `${c.service} ${c.peer}`, [
      (c) => c.service,
      (c) => ({ text: c.peer, cls: 'text' }),
      (c) => ({ text: c.peerId ?? '', cls: 'text' }),
      (c) => ({ text: c.state, cls: 'text' }),
      (c) => num(c.framesIn),
      (c) => num(c.framesOut),
      (c) => bytes(c.bytesIn),
      (c) => bytes(c.bytesOut),
      (c) => `${num(c.queuedFrames)} / ${bytes(c.queuedBytes)}`,
    ]);
    pager('connections', s.connections);
    const ends = s.services.flatMap((v) => v.recentEnds.map((e) => ({ ...e, service: v.name }))).sort((a, b) => b.at - a.at).slice(0, 50);
    syncRows(document.querySelector('#ends tbody'), ends, (e) => `${e.service} ${e.peer} ${e.at}`, [
      (e) => e.service,
      (e) => new Date(e.at).toLocaleTimeString(),
      (e) => ({ text: e.peer, cls: 'text' }),
      (e) => ({ text: e.reason, cls: 'text' }),
      (e) => ({ text: e.code ?? '', cls: 'text' }),
    ]);
  }

  function renderRsb(s) {
    syncRows(document.querySelector('#buses tbody'), s.buses, (b) => b.name, [
      (b) => b.name,
      (b) => ({ text: b.endpoint, cls: 'text' }),
      (b) => ({ text: b.role, cls: 'text' }),
      (b) => ({ text: b.status, cls: 'text' }),
      (b) => num(b.remotePeers),
      (b) => num(b.localSinks),
      (b) => num(b.publishedTotal),
      (b) => num(b.notificationsInTotal),
      (b) => num(b.forwardedTotal),
      (b) => num(b.badNotificationsTotal),
      (b) => num(b.slowPeersDroppedTotal),
      (b) => num(b.scopes),
      (b) => ({ text: b.nats ? `${b.nats.state}, ${num(b.nats.reconnectsTotal)} reconnects, ${num(b.nats.buffered)} buffered, ${num(b.nats.lostTotal)} lost` : '–', cls: 'text' }),
    ]);
    const multiBus = s.buses.length > 1;
    const participants = document.getElementById('participants');
    participants.textContent = '';
    for (const b of s.buses) {
      for (const p of b.participants) participants.appendChild(el('span', { 'data-participant': `${b.name} ${p.kind} ${p.scope}` }, `${multiBus ? `${b.name} ` : ''}${p.kind} ${p.scope} × ${p.count}`));
    }
    syncRows(document.querySelector('#scopes tbody'), s.scopes.items, (c) => `${c.bus} ${c.scope}`, [
      (c) => (multiBus ? `${c.bus} ${c.scope}` : c.scope),
      (c) => rate(c.eventsPerSec),
      (c) => bytes(c.bytesPerSec),
      (c) => num(c.eventsTotal),
      (c) => `${bytes(c.size.p50)} / ${bytes(c.size.p99)}`,
      (c) => `${general(c.latencyMs.p50)} / ${general(c.latencyMs.p99)}`,
      (c) => ({ spark: c.history }),
    ]);
    pager('scopes', s.scopes);
  }

  function section(holder, key, build) {
    holder.sections ??= new Map();
    let box = holder.sections.get(key);
    if (!box) {
      box = el('div', { 'data-source': key });
      build(box);
      holder.appendChild(box);
      holder.sections.set(key, box);
    }
    return box;
  }

  /** A source's box: its name, a line of key values, a table with these headings, and a place for plots. */
  const textColumns = ['role', 'agent', 'connection'];
  function panel(box, name, tableClass, headings, plots) {
    const table = el('table', { class: tableClass });
    const row = el('tr');
    headings.forEach((heading, i) => row.appendChild(el('th', i === 0 ? {} : { class: textColumns.includes(heading) ? 'text' : '' }, heading)));
    table.append(el('thead'), el('tbody'));
    table.tHead.appendChild(row);
    box.append(el('h3', {}, name), el('div', { class: 'kv' }), table);
    if (plots) box.appendChild(el('div', { class: 'plots' }));
  }

  function kv(box, pairs) {
    const line = box.querySelector('.kv');
    line.textContent = '';
    for (const [label, value, field] of pairs) {
      const item = el('span');
      item.append(`${label} `, el('b', { 'data-field': field }, value));
      line.appendChild(item);
    }
  }

  function renderObe(s) {
    const holder = document.getElementById('obe');
    if (s.obe.length === 0) holder.textContent = 'no OBE server';
    for (const o of s.obe) {
      const box = section(holder, o.name, (b) => b.append(el('h3', {}, o.name), el('div', { class: 'kv' }), el('div', { class: 'plots' })));
      kv(box, [
        ['engine', o.engine, 'obe-engine'],
        ['model', o.run.model ?? '–', 'obe-model'],
        ['particles', num(o.run.particles), 'obe-particles'],
        ['run', o.run.active ? `#${o.run.runsTotal}` : 'none', 'obe-run'],
        ['steps', num(o.run.steps), 'obe-steps'],
        ['resamples', num(o.run.resamples), 'obe-resamples'],
        ['n_eff', num(o.run.effectiveSampleSize), 'obe-ess'],
        ['threads', num(o.run.threads), 'obe-threads'],
        ['last setting', o.run.lastSetting ? o.run.lastSetting.map(general).join(', ') : '–', 'obe-setting'],
        ['requests', num(o.requestsTotal), 'obe-requests'],
      ]);
      const plots = box.querySelector('.plots');
      const steps = o.series.steps;
      o.run.parameters.forEach((name, p) => {
        const mean = o.series.mean[p] ?? [];
        const std = o.series.std[p] ?? [];
        if (mean.length === 0) return;
        const upper = mean.map((m, i) => m + std[i]);
        const lower = mean.map((m, i) => m - std[i]);
        chart(
          plots,
          `${o.name}-${name}`,
          {
            shape: 'band',
            options: {
              title: `${name}: mean ± std`,
              width: 300,
              height: 170,
              legend: { show: false },
              scales: { x: { time: false } },
              axes: [{ label: 'step', incrs: WHOLE }, { size: 60 }],
              series: [{ label: 'step' }, { label: 'mean', stroke: '#2764c5', width: 2 }, { label: '+std', stroke: 'rgba(39,100,197,0.4)' }, { label: '−std', stroke: 'rgba(39,100,197,0.4)' }],
              bands: [{ series: [2, 3], fill: 'rgba(39,100,197,0.15)' }],
            },
          },
          [steps, mean, upper, lower],
        );
      });
      sweepCharts(plots);
    }
  }

  function renderMasep(s) {
    const holder = document.getElementById('masep');
    if (s.masep.length === 0) holder.textContent = 'no masep engine';
    for (const m of s.masep) {
      const box = section(holder, m.name, (b) => panel(b, m.name, 'members', ['interface', 'role', 'agent', 'connection'], true));
      kv(box, [
        ['game', m.game ?? '–', 'masep-game'],
        ['phase', m.phase, 'masep-phase'],
        ['episodes', num(m.episodesTotal), 'masep-episodes'],
        ['steps', num(m.stepsTotal), 'masep-steps'],
        ['steps/s', rate(m.stepsPerSec), 'masep-rate'],
        ['actions', num(m.actionsAppliedTotal), 'masep-actions'],
        ['observations', num(m.observationsSentTotal), 'masep-observations'],
      ]);
      syncRows(box.querySelector('.members tbody'), m.members, (x) => x.id, [
        (x) => x.id.slice(0, 8),
        (x) => ({ text: x.role, cls: 'text' }),
        (x) => ({ text: x.agent ?? '', cls: 'text' }),
        (x) => ({ text: x.state, cls: 'text' }),
      ]);
      const plots = box.querySelector('.plots');
      const agents = [...new Set(m.episodes.flatMap((e) => Object.keys(e.rewards)))].sort();
      if (m.episodes.length > 0 && agents.length > 0) {
        const colors = ['#2764c5', '#c0392b', '#2e8b57', '#8e44ad', '#d35400', '#16a085'];
        chart(
          plots,
          `${m.name}-rewards`,
          {
            shape: agents.join('|'),
            options: {
              title: 'reward per episode',
              width: 320,
              height: 170,
              scales: { x: { time: false } },
              axes: [{ label: 'episode', incrs: WHOLE }, { size: 50 }],
              series: [{ label: 'episode' }, ...agents.map((a, i) => ({ label: a.replace(/^State\./, ''), stroke: colors[i % colors.length], width: 2 }))],
            },
          },
          [m.episodes.map((e) => e.episode), ...agents.map((a) => m.episodes.map((e) => e.rewards[a] ?? null))],
        );
      }
      sweepCharts(plots);
    }
  }

  function renderOneline(s) {
    const holder = document.getElementById('oneline');
    if (s.oneline.length === 0) holder.textContent = 'no oneline server';
    for (const o of s.oneline) {
      const box = section(holder, o.name, (b) => panel(b, o.name, 'commands', ['command', 'lines', 'per second'], false));
      kv(box, [
        ['client', o.serving ? 'served' : 'none', 'oneline-serving'],
        ['held', num(o.held), 'oneline-held'],
        ['refused', num(o.refusedTotal), 'oneline-refused'],
        ['handler errors', num(o.handlerErrorsTotal), 'oneline-errors'],
      ]);
      syncRows(box.querySelector('.commands tbody'), o.commands, (c) => c.name, [(c) => c.name, (c) => num(c.total), (c) => rate(c.perSec)]);
    }
  }

  function render(s) {
    last = s;
    document.getElementById('process').textContent = `pid ${s.process.pid} · up ${num(s.process.uptimeSec)} s · rss ${bytes(s.process.rssBytes)} · ${new Date(s.time).toLocaleTimeString()} · every ${s.intervalMs} ms`;
    renderServices(s);
    renderConnections(s);
    renderRsb(s);
    renderObe(s);
    renderMasep(s);
    renderOneline(s);
    document.body.dataset.updates = String(Number(document.body.dataset.updates ?? 0) + 1);
  }

  function setLink(up) {
    const link = document.getElementById('link');
    link.className = `link ${up ? 'up' : 'down'}`;
    link.textContent = up ? 'live' : 'reconnecting…';
  }

  function connect() {
    source?.close();
    const query = new URLSearchParams(Object.entries(view).map(([k, v]) => [k, String(v)]));
    source = new EventSource(`/api/events?${query}`);
    source.addEventListener('snapshot', (event) => render(JSON.parse(event.data)));
    source.addEventListener('open', () => setLink(true));
    source.addEventListener('error', () => setLink(false));
  }

  for (const box of document.querySelectorAll('.pager')) {
    box.addEventListener('click', (event) => {
      const step = Number(event.target.dataset?.step);
      if (!step || !last) return;
      const list = box.dataset.list;
      const [offsetKey, limitKey, total] = list === 'connections' ? ['offset', 'limit', last.connections.total] : ['scopeOffset', 'scopeLimit', last.scopes.total];
      const next = view[offsetKey] + step * view[limitKey];
      if (next < 0 || next >= Math.max(total, 1)) return;
      view[offsetKey] = next;
      connect();
    });
  }
  connect();
})();
