'use strict';

/**
 * The KPI dashboard: each panel loads its own API and shows loading, ready, empty ("no data yet"), error or
 * forbidden on its own, so one failing service never blanks the page. Each panel's section carries data-state and
 * data-points (how many data marks it drew) for tests and monitoring.
 */
(() => {
  const { el, svg } = Charts;

  const CORE = ['net-revenue', 'orders', 'buyers', 'repurchase-rate', 'retention-rate', 'nps', 'ltv', 'points-redemption-rate'];
  const HEADLINE = ['net-revenue', 'orders', 'buyers', 'average-order-value', 'repurchase-rate', 'retention-rate', 'nps', 'ltv', 'new-customers',
    'points-redemption-rate'];
  const LABELS = {
    'net-revenue': 'Net revenue', orders: 'Orders', buyers: 'Buyers', 'average-order-value': 'Average order value',
    'repurchase-rate': 'Repurchase rate', 'retention-rate': 'Retention rate', nps: 'NPS', ltv: 'Lifetime value',
    'new-customers': 'New customers', 'points-redemption-rate': 'Points redemption',
  };
  // for these a rise is bad news
  const LOWER_IS_BETTER = new Set(['refund-rate', 'complaints', 'complaint-response-hours', 'unsubscribe-rate']);
  const GRAINS = ['day', 'week', 'month'];
  const PERIODS = 12;
  const SEVERITY_ORDER = { critical: 0, warning: 1, info: 2 };

  let grain = 'month';
  let currentPeriod = null; // the server's current period at the grain (reporting time zone), from the summary
  let currency = null; // the reporting currency, from the first money answer

  // ---------- formatting ----------

  function num(v) {
    const n = typeof v === 'number' ? v : v === null || v === undefined ? NaN : Number(v);
    return Number.isFinite(n) ? n : null;
  }

  function label(kpi) {
    return LABELS[kpi] || kpi.replace(/-/g, ' ').replace(/^./, c => c.toUpperCase());
  }

  function formatter(unit, currency) {
    const count = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
    switch (unit) {
      case 'currency': {
        // the API names the reporting currency with every money KPI; without one, a plain amount
        const money = v => (currency
          ? new Intl.NumberFormat('en', { style: 'currency', currency, maximumFractionDigits: Math.abs(v) >= 1000 ? 0 : 2 }).format(v)
          : v.toFixed(2));
        return v => (num(v) === null ? '—' : money(v));
      }
      case 'percent': return v => (num(v) === null ? '—' : v.toFixed(1) + '%');
      case 'score': return v => (num(v) === null ? '—' : v.toFixed(0));
      case 'average': return v => (num(v) === null ? '—' : v.toFixed(2));
      case 'hours': return v => (num(v) === null ? '—' : v.toFixed(1) + ' h');
      default: return v => (num(v) === null ? '—' : count.format(v));
    }
  }

  function tickFormatter(unit) {
    const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });
    return unit === 'percent' ? v => compact.format(v) + '%' : v => compact.format(v);
  }

  function date(iso) {
    const [y, m, d] = iso.split('-').map(Number);
    return new Date(Date.UTC(y, m - 1, d));
  }

  function iso(d) {
    return d.toISOString().slice(0, 10);
  }

  function periodLabel(p, g) {
    if (!p) return '';
    const d = date(p);
    const opts = { timeZone: 'UTC' };
    switch (g || grain) {
      case 'month': return d.toLocaleDateString('en', { ...opts, month: 'short', year: 'numeric' });
      case 'quarter': return 'Q' + (Math.floor(d.getUTCMonth() / 3) + 1) + ' ' + d.getUTCFullYear();
      case 'week': return 'wk ' + d.toLocaleDateString('en', { ...opts, day: 'numeric', month: 'short' });
      default: return d.toLocaleDateString('en', { ...opts, day: 'numeric', month: 'short' });
    }
  }

  /** The start of the period containing day d at grain g (weeks start on Monday, like the rollups). */
  function align(d, g) {
    const y = d.getUTCFullYear(), m = d.getUTCMonth();
    if (g === 'month') return new Date(Date.UTC(y, m, 1));
    if (g === 'quarter') return new Date(Date.UTC(y, m - (m % 3), 1));
    if (g === 'week') return new Date(Date.UTC(y, m, d.getUTCDate() - ((d.getUTCDay() + 6) % 7)));
    return new Date(Date.UTC(y, m, d.getUTCDate()));
  }

  function step(d, g, n) {
    if (g === 'month' || g === 'quarter') return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n * (g === 'quarter' ? 3 : 1), 1));
    return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + n * (g === 'week' ? 7 : 1)));
  }

  /** The last PERIODS periods at the grain, oldest first: the API's default range. */
  function periods(g) {
    const last = currentPeriod ? date(currentPeriod) : align(new Date(), g);
    const out = [];
    for (let i = PERIODS - 1; i >= 0; i--) out.push(iso(step(last, g, -i)));
    return out;
  }

  function change(value, better) {
    const c = num(value);
    if (c === null) return el('span', { class: 'change none' }, 'no comparison');
    const up = c > 0, flat = Math.abs(c) < 0.0005;
    const good = flat ? 'flat' : (up !== LOWER_IS_BETTER.has(better)) ? 'good' : 'bad';
    return el('span', { class: 'change ' + good, 'data-change': c }, (flat ? '■ ' : up ? '▲ ' : '▼ ') + Math.abs(c * 100).toFixed(1) + '%');
  }

  function ago(instant) {
    const s = (Date.now() - Date.parse(instant)) / 1000;
    if (!Number.isFinite(s)) return '';
    if (s < 90) return 'just now';
    if (s < 5400) return Math.round(s / 60) + ' min ago';
    if (s < 129600) return Math.round(s / 3600) + ' h ago';
    return Math.round(s / 86400) + ' days ago';
  }

  // ---------- panels ----------

  function section(name) {
    return document.querySelector('[data-chart="' + name + '"]');
  }

  function placeholder(kind, text) {
    return el('div', { class: 'placeholder ' + kind }, text);
  }

  /**
   * Loads one panel: render() resolves to [points, node] (points 0: empty, node then the empty message) and the
   * panel shows it, unless a newer load of the same panel has started meanwhile.
   */
  async function load(s, render) {
    const generation = (s._generation || 0) + 1;
    s._generation = generation;
    const body = s.querySelector('[data-role="body"]');
    s.dataset.state = 'loading';
    s.setAttribute('aria-busy', 'true');
    body.replaceChildren(placeholder('loading', 'Loading…'));
    let state, points = 0, node;
    try {
      [points, node] = await render();
      state = points > 0 ? 'ready' : 'empty';
      if (state === 'empty' && (typeof node === 'string' || !node)) node = placeholder('empty', node || 'No data yet');
    } catch (e) {
      state = e.status === 403 ? 'forbidden' : 'error';
      node = placeholder(state, e.status === 403 ? 'No access: ' + e.message : 'Could not load this panel: ' + (e.message || e));
      if (state === 'error') console.error(s.dataset.chart, e);
    }
    if (s._generation !== generation) return;
    body.replaceChildren(node);
    s.dataset.points = String(points);
    s.dataset.state = state;
    s.removeAttribute('aria-busy');
  }

  function setSubtitle(s, text) {
    const sub = s.querySelector('[data-role="subtitle"]');
    if (sub) sub.textContent = text;
  }

  async function summary() {
    const s = section('summary');
    return load(s, async () => {
      const r = await Auth.api('/api/kpis/summary?grain=' + grain);
      currentPeriod = r.period;
      currency = r.currency || currency;
      setSubtitle(s, periodLabel(r.period) + ' against ' + periodLabel(r.previousPeriod));
      const items = HEADLINE.map(k => r.kpis.find(i => i.kpi === k)).filter(Boolean);
      const known = items.filter(i => num(i.value) !== null);
      if (!known.length) return [0, 'No data yet for ' + periodLabel(r.period) + '.'];
      const grid = el('div', { class: 'tile-grid' });
      items.forEach(i => {
        const f = formatter(i.unit, r.currency);
        const value = num(i.value);
        const tile = el('div', { class: 'tile' + (value === null ? ' none' : ''), 'data-kpi': i.kpi, 'data-value': value === null ? undefined : value });
        tile.append(el('div', { class: 'tile-label' }, label(i.kpi)), el('div', { class: 'tile-value' }, f(value)));
        const foot = el('div', { class: 'tile-foot' });
        foot.append(change(i.change, i.kpi), el('span', { class: 'muted' }, ' prev ' + f(num(i.previous))));
        tile.append(foot);
        grid.append(tile);
      });
      return [known.length, grid];
    });
  }

  function kpiSections() {
    const grid = document.getElementById('kpi-grid');
    CORE.forEach(kpi => {
      const s = el('section', { class: 'panel chart kpi', 'data-chart': 'kpi-' + kpi, 'data-kpi': kpi, 'data-state': 'loading', 'data-points': '0' });
      const head = el('header');
      head.append(el('h3', {}, label(kpi)), el('span', { class: 'latest', 'data-role': 'latest' }));
      s.append(head, el('div', { class: 'body', 'data-role': 'body' }), el('p', { class: 'desc muted', 'data-role': 'desc' }));
      grid.append(s);
    });
  }

  async function kpiChart(kpi) {
    const s = section('kpi-' + kpi);
    s.dataset.grain = grain;
    const latest = s.querySelector('[data-role="latest"]');
    latest.replaceChildren();
    return load(s, async () => {
      const r = await Auth.api('/api/kpis/' + encodeURIComponent(kpi) + '?grain=' + grain);
      s.querySelector('[data-role="desc"]').textContent = r.description || '';
      const series = r.series.find(x => x.dimValue === '') || r.series[0];
      const byPeriod = new Map((series ? series.points : []).map(p => [p.period, p]));
      const known = [...byPeriod.values()].filter(p => num(p.value) !== null).length;
      if (!known) return [0, 'No data yet'];
      // a period without a rollup row had nothing: zero for counts and money, no value for rates and running totals
      const additive = (r.unit === 'count' || r.unit === 'currency') && kpi !== 'ltv';
      const points = periods(grain).map(p => {
        const point = byPeriod.get(p);
        return { period: p, value: point ? num(point.value) : additive ? 0 : null, change: point ? point.change : null };
      });
      const f = formatter(r.unit, r.currency);
      const last = points[points.length - 1];
      latest.append(el('strong', {}, f(last.value)), change(last.change, kpi));
      return [known, Charts.line(points, { label: label(kpi) + ' per ' + grain, format: f, tick: tickFormatter(r.unit), period: p => periodLabel(p) })];
    });
  }

  async function tiers() {
    return load(section('tier-distribution'), async () => {
      const rows = await Auth.api('/api/kpis/distribution?dimension=tier');
      const known = rows.filter(r => r.customers > 0);
      if (!known.length) return [0, 'No customer has a value tier yet'];
      // the A-D ladder always, so an empty tier shows as zero rather than missing
      const values = [...new Set(['A', 'B', 'C', 'D', ...known.map(r => r.value)])];
      const items = values.map(v => {
        const r = known.find(x => x.value === v);
        return { label: v, value: r ? r.customers : 0, note: (r ? r.share : 0).toFixed(1) + '%' };
      });
      const total = known.reduce((a, r) => a + r.customers, 0);
      const wrap = el('div');
      wrap.append(Charts.bars(items, { width: 620, height: 210, label: 'Customers per value tier', format: v => v.toLocaleString('en'), className: i => 'tier-' + i.label.replace(/[^A-Za-z0-9]/g, '') }),
        el('p', { class: 'muted small' }, total.toLocaleString('en') + ' customers with a tier'));
      return [known.length, wrap];
    });
  }

  async function migrations() {
    const s = section('tier-migration');
    return load(s, async () => {
      const m = await Auth.api('/api/kpis/migrations?dimension=tier&grain=month');
      setSubtitle(s, 'from → to, ' + periodLabel(m.from, 'day') + ' ' + m.from.slice(0, 4) + ' – ' + periodLabel(m.to, 'day') + ' ' + m.to.slice(0, 4));
      const moves = m.moves.filter(c => c.customers > 0);
      if (!moves.length) return [0, 'No tier changes in this range yet'];
      const order = v => (v === 'none' ? '' : v);
      const from = [...new Set(moves.map(c => c.from))].sort((a, b) => order(a).localeCompare(order(b)));
      const to = [...new Set(moves.map(c => c.to))].sort();
      const max = Math.max(...moves.map(c => c.customers));
      const table = el('table', { class: 'heat' });
      const head = el('tr');
      head.append(el('th', { class: 'corner' }, 'from \\ to'));
      to.forEach(t => head.append(el('th', { scope: 'col' }, t)));
      table.append(el('thead'), el('tbody'));
      table.tHead.append(head);
      from.forEach(f => {
        const tr = el('tr');
        tr.append(el('th', { scope: 'row' }, f === 'none' ? 'new' : f));
        to.forEach(t => {
          const cell = moves.find(c => c.from === f && c.to === t);
          const n = cell ? cell.customers : 0;
          const level = n === 0 ? 0 : Math.max(1, Math.ceil(5 * n / max));
          const td = el('td', { class: 'heat-' + level + (f === t ? ' same' : ''), 'data-from': f, 'data-to': t, 'data-value': n, title: (f === 'none' ? 'new' : f) + ' → ' + t + ': ' + n }, n ? n.toLocaleString('en') : '·');
          tr.append(td);
        });
        table.tBodies[0].append(tr);
      });
      const wrap = el('div', { class: 'heat-wrap' });
      wrap.append(table, el('p', { class: 'muted small' }, 'Each customer who moved counts once, from their tier before the first move to the tier after the last; "new" had no tier before.'));
      return [moves.length, wrap];
    });
  }

  async function health() {
    return load(section('health'), async () => {
      const days = await Auth.api('/api/kpis/health');
      if (!days.length) return [0, 'No health snapshots yet'];
      const wrap = el('div', { class: 'health' });
      const series = [
        { key: 'atRisk', label: 'At risk', values: days.map(d => d.atRisk) },
        { key: 'churnRisk', label: 'Churn risk', values: days.map(d => d.churnRisk) },
        { key: 'under40', label: 'Health under 40', values: days.map(d => d.under40) },
      ];
      const left = el('div');
      left.append(Charts.multiLine(days.map(d => d.day), series, { width: 760, height: 200, label: 'At-risk customers per day', period: p => periodLabel(p, 'day') }));
      const legend = el('div', { class: 'legend' });
      series.forEach((x, k) => legend.append(el('span', { class: 'key series-' + k }, x.label + ' ' + x.values[x.values.length - 1].toLocaleString('en'))));
      left.append(legend);
      const last = days[days.length - 1];
      const right = el('div');
      right.append(Charts.bars(last.buckets.map((n, i) => ({ label: i === 9 ? '90+' : String(i * 10), value: n })),
        { width: 520, height: 200, label: 'Customers per health bucket on ' + last.day, format: v => v.toLocaleString('en'), className: (item, i) => (i < 4 ? 'low' : 'ok') }),
        el('p', { class: 'muted small' }, 'Health index on ' + periodLabel(last.day, 'day') + ': ' + last.customers.toLocaleString('en') + ' customers, ' + last.under40.toLocaleString('en') + ' under 40'));
      wrap.append(left, right);
      return [days.length, wrap];
    });
  }

  /** Campaign names from campaign-service (newest first), when it answers; the panels fall back to ids. */
  async function campaignNames() {
    try {
      const list = await Auth.api('/api/campaigns?limit=500');
      return new Map(list.map(c => [c.id, c.name]));
    } catch (e) {
      return new Map();
    }
  }

  /** Newest campaigns first (campaign-service's order), the ones it does not list after them by messages sent. */
  function byRecency(names) {
    const rank = new Map([...names.keys()].map((id, i) => [id, i]));
    const r = id => (rank.has(id) ? rank.get(id) : Number.MAX_SAFE_INTEGER);
    return (a, b) => r(a.id) - r(b.id) || b.sent - a.sent;
  }

  async function funnels(names) {
    return load(section('campaign-funnel'), async () => {
      const kpis = ['messages-sent', 'delivery-rate', 'open-rate', 'click-rate', 'conversion-rate', 'unsubscribe-rate', 'campaign-revenue', 'roi'];
      const responses = await Promise.all(kpis.map(k => Auth.api('/api/kpis/' + k + '?grain=month&dim=campaign')));
      const campaigns = new Map();
      responses.forEach((r, k) => r.series.forEach(series => {
        const c = campaigns.get(series.dimValue) || { id: series.dimValue, sums: {} };
        // a rate's numerator is the count behind it (delivered, opened...): counts add up over periods, rates do not
        const sum = series.points.reduce((a, p) => [a[0] + p.numerator, a[1] + p.denominator], [0, 0]);
        c.sums[kpis[k]] = sum;
        campaigns.set(series.dimValue, c);
      }));
      const get = (c, k, i) => (c.sums[k] ? c.sums[k][i] : 0);
      const rows = [...campaigns.values()].map(c => ({
        id: c.id, name: names.get(c.id) || 'Campaign ' + c.id.slice(0, 8),
        sent: get(c, 'messages-sent', 0), delivered: get(c, 'delivery-rate', 0), opened: get(c, 'open-rate', 0), clicked: get(c, 'click-rate', 0),
        converted: get(c, 'conversion-rate', 0), unsubscribed: get(c, 'unsubscribe-rate', 0), revenue: get(c, 'campaign-revenue', 0),
        roi: get(c, 'roi', 1) > 0 ? 100 * get(c, 'roi', 0) / get(c, 'roi', 1) : null,
      })).filter(r => r.sent > 0).sort(byRecency(names));
      if (!rows.length) return [0, 'No campaign messages sent yet'];
      currency = responses[6].currency || currency;
      const money = formatter('currency', currency);
      const list = el('div', { class: 'funnels' });
      rows.slice(0, 8).forEach(r => {
        const row = el('div', { class: 'funnel-row', 'data-campaign': r.id, 'data-label': r.name });
        const head = el('div', { class: 'funnel-head' });
        head.append(el('div', { class: 'funnel-name' }, r.name), el('div', { class: 'muted small mono' }, r.id.slice(0, 8)));
        // e-mail over SMTP sends no delivery receipts: "delivered" is unknown then, not zero
        const noReceipts = r.delivered === 0 && r.opened > 0;
        const stages = [
          { key: 'sent', label: 'Sent', value: r.sent },
          { key: 'delivered', label: 'Delivered', value: r.delivered, missing: noReceipts },
          { key: 'opened', label: 'Opened', value: r.opened },
          { key: 'clicked', label: 'Clicked', value: r.clicked },
          { key: 'converted', label: 'Converted', value: r.converted },
        ];
        const stats = el('dl', { class: 'funnel-stats' });
        [['Unsubscribed', Charts.pct(r.unsubscribed, r.sent), 'unsubscribe-rate', r.sent ? 100 * r.unsubscribed / r.sent : null],
          ['Revenue', money(r.revenue), 'campaign-revenue', r.revenue],
          ['ROI', r.roi === null ? '— (no cost)' : r.roi.toFixed(0) + '%', 'roi', r.roi]].forEach(([k, v, key, raw]) => {
          const item = el('div', { 'data-stat': key, 'data-value': raw === null ? undefined : raw });
          item.append(el('dt', {}, k), el('dd', {}, v));
          stats.append(item);
        });
        row.append(head, Charts.funnel(stages, { label: 'Funnel of ' + r.name }), stats);
        list.append(row);
      });
      if (rows.length > 8) list.append(el('p', { class: 'muted small' }, 'and ' + (rows.length - 8) + ' older campaigns'));
      return [rows.length, list];
    });
  }

  async function experiments(names) {
    return load(section('experiments'), async () => {
      const list = await Auth.api('/api/experiments');
      if (!list.length) return [0, 'No experiments yet: campaign A/B tests and journey splits appear once customers are assigned'];
      const shown = list.slice(0, 6);
      const results = await Promise.all(shown.map(x => Auth.api('/api/experiments/' + encodeURIComponent(x.id) + (x.step ? '?step=' + encodeURIComponent(x.step) : ''))
        .catch(e => ({ failed: e }))));
      const wrap = el('div', { class: 'experiments' });
      let points = 0;
      shown.forEach((x, k) => {
        const r = results[k];
        const card = el('article', { class: 'experiment', 'data-experiment': x.id, 'data-kind': x.kind });
        const name = x.kind === 'campaign' ? names.get(x.id) || 'Campaign ' + x.id.slice(0, 8) : 'Journey split ' + (x.step ? '“' + x.step + '”' : '') + ' ' + x.id.slice(0, 8);
        const head = el('header');
        head.append(el('h3', {}, name));
        const verdict = r.verdict || {};
        const badge = r.failed ? el('span', { class: 'badge error' }, 'unavailable')
          : verdict.winner ? el('span', { class: 'badge good' }, (verdict.significant ? 'winner ' : 'leading ') + verdict.winner)
            : el('span', { class: 'badge neutral' }, x.concludedAt ? 'concluded' : 'running');
        head.append(badge);
        card.append(head, el('p', { class: 'muted small' }, x.kind + ' · ' + x.assigned.toLocaleString('en') + ' assigned · since ' + periodLabel(String(x.firstAssignedAt).slice(0, 10), 'day')
          + (verdict.reason ? ' · ' + verdict.reason : '')));
        if (r.failed) {
          card.append(placeholder('error', 'Results could not be loaded: ' + r.failed.message));
          wrap.append(card);
          return;
        }
        const metric = verdict.metric || 'conversion';
        const rows = (r.results || []).filter(m => m.metric === metric);
        const table = el('table', { class: 'arms' });
        const headRow = el('tr');
        ['Variant', 'Customers', 'Conversion', metric === 'revenue' ? 'Δ revenue / customer (95% CI)' : 'Δ ' + metric + ' (95% CI)', 'P(beat ' + (r.baseline || 'baseline') + ')'].forEach(h => headRow.append(el('th', {}, h)));
        table.append(el('thead'), el('tbody'));
        table.tHead.append(headRow);
        const finite = rows.flatMap(m => [num(m.ciLow), num(m.ciHigh), num(m.difference)]).filter(v => v !== null).map(Math.abs);
        const scale = Math.max(...finite, 0.01);
        const fmt = metric === 'revenue'
          ? v => (num(v) === null ? '—' : currency ? formatter('currency', currency)(v) : v.toFixed(2))
          : v => (num(v) === null ? '—' : (v * 100 >= 0 ? '+' : '') + (v * 100).toFixed(1) + ' pp');
        (r.arms || []).forEach(arm => {
          const tr = el('tr', { 'data-variant': arm.variant, 'data-value': arm.conversionRate });
          tr.append(el('td', { class: 'strong' }, arm.variant + (arm.variant === r.baseline ? ' (baseline)' : '')), el('td', {}, arm.assigned.toLocaleString('en')),
            el('td', {}, (100 * (num(arm.conversionRate) || 0)).toFixed(1) + '%'));
          const m = rows.find(x => x.variant === arm.variant);
          const cell = el('td');
          if (m && num(m.ciLow) !== null && num(m.ciHigh) !== null && num(m.difference) !== null) {
            const plot = el('div', { class: 'interval-cell' });
            plot.append(Charts.interval({ difference: num(m.difference), ciLow: num(m.ciLow), ciHigh: num(m.ciHigh) }, scale,
              { label: arm.variant + ' against ' + r.baseline, format: fmt }), el('span', { class: 'small' }, fmt(num(m.difference))));
            cell.append(plot);
          } else {
            cell.append(el('span', { class: 'muted small' }, arm.variant === r.baseline ? 'baseline' : 'not enough data'));
          }
          const p = m ? num(m.probabilityToBeat) : null;
          tr.append(cell, el('td', { 'data-probability': p === null ? undefined : p }, p === null ? '—' : (100 * p).toFixed(0) + '%'));
          table.tBodies[0].append(tr);
          points++;
        });
        card.append(table);
        wrap.append(card);
      });
      if (list.length > shown.length) wrap.append(el('p', { class: 'muted small' }, (list.length - shown.length) + ' older experiments not shown'));
      return [points, wrap];
    });
  }

  async function alerts() {
    return load(section('alerts'), async () => {
      const list = await Auth.api('/api/alerts?status=unresolved');
      if (!list.length) return [0, 'No open alerts'];
      const sorted = [...list].sort((a, b) => (SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]) || Date.parse(b.raisedAt) - Date.parse(a.raisedAt));
      const ul = el('ul', { class: 'alerts' });
      sorted.slice(0, 12).forEach(a => {
        const li = el('li', { class: 'alert sev-' + a.severity, 'data-alert': a.id, 'data-severity': a.severity, 'data-label': a.ruleName, 'data-kpi': a.kpi, 'data-value': a.value });
        const top = el('div', { class: 'alert-top' });
        top.append(el('span', { class: 'badge sev-' + a.severity }, a.severity), el('strong', { class: 'alert-name' }, a.ruleName),
          el('span', { class: 'muted small' }, a.status + ' · ' + ago(a.raisedAt)));
        const group = a.dim === 'all' ? 'all customers' : a.dim + ' ' + (a.dimValue || '');
        const compared = num(a.baseline) !== null ? 'baseline ' + num(a.baseline).toFixed(2) + ', threshold ' + num(a.threshold) + '%' : 'threshold ' + num(a.threshold);
        li.append(top, el('div', { class: 'small' }, label(a.kpi) + ' per ' + a.grain + ' (' + group + ') was ' + Number(a.value).toLocaleString('en', { maximumFractionDigits: 2 })
          + ' in the period from ' + a.periodStart + ': ' + compared));
        ul.append(li);
      });
      const wrap = el('div');
      wrap.append(ul);
      if (sorted.length > 12) wrap.append(el('p', { class: 'muted small' }, 'and ' + (sorted.length - 12) + ' more'));
      return [list.length, wrap];
    });
  }

  const REVIEW_KINDS = { monthly: 'Monthly review', quarterly: 'Quarterly review', baseline: 'Against the baseline' };

  /** The latest reviews with their headline and recommendations; published ones open as a printable page. */
  async function reviews() {
    return load(section('reviews'), async () => {
      const page = await Auth.api('/api/reports?limit=6');
      if (!page.reports.length) return [0, 'No reviews yet: the monthly and quarterly reviews appear after each period ends'];
      const ul = el('ul', { class: 'alerts reviews' });
      for (const r of page.reports) {
        const li = el('li', { class: 'alert review', 'data-report': r.id, 'data-kind': r.kind, 'data-status': r.status, 'data-value': r.period.start });
        const top = el('div', { class: 'alert-top' });
        top.append(el('span', { class: 'badge' }, REVIEW_KINDS[r.kind] || r.kind), el('strong', {}, r.period.start + ' – ' + r.period.end),
          el('span', { class: 'muted small' }, r.status + (r.scheduled ? ' · scheduled' : ' · by ' + r.requestedBy)));
        li.append(top);
        if (r.status === 'published') {
          li.append(el('div', { class: 'small', 'data-role': 'headline' }, r.digest.headline));
          r.digest.recommendations.forEach(text => li.append(el('div', { class: 'small muted' }, '→ ' + text)));
          const open = el('button', { type: 'button', class: 'ghost' }, 'Printable review');
          open.addEventListener('click', () => openReview(r.id));
          li.append(open);
        } else if (r.error) {
          li.append(el('div', { class: 'small' }, 'Failed: ' + r.error));
        }
        ul.append(li);
      }
      return [page.reports.length, ul];
    });
  }

  /** Opens the review's HTML in a new window (opened within the click, so no pop-up blocker stops it). */
  async function openReview(id) {
    const win = window.open('', '_blank');
    try {
      const html = await Auth.api('/api/reports/' + id, 'text/html');
      win.location = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
    } catch (e) {
      win.close();
      notice('error', 'The review could not be opened: ' + e.message);
    }
  }

  // ---------- page ----------

  function setGrain(g) {
    grain = GRAINS.includes(g) ? g : 'month';
    document.querySelectorAll('[data-grain]').forEach(b => b.setAttribute('aria-pressed', String(b.dataset.grain === grain)));
    history.replaceState(null, '', location.pathname + location.search + '#grain=' + grain);
    document.getElementById('kpi-range').textContent = 'last ' + PERIODS + ' ' + grain + 's';
  }

  /** Loads every panel; the grain-dependent ones after the summary has told the current period. */
  async function refresh(onlyGrain) {
    const started = summary().then(() => Promise.all(CORE.map(kpiChart)));
    const others = onlyGrain ? [] : [tiers(), migrations(), health(), campaignNames().then(names => Promise.all([funnels(names), experiments(names)])), alerts(), reviews()];
    await Promise.all([started, ...others]);
    document.getElementById('updated').textContent = 'Updated ' + new Date().toLocaleTimeString('en', { hour: '2-digit', minute: '2-digit' });
  }

  function notice(kind, text, action) {
    const n = document.getElementById('notice');
    n.className = 'notice ' + kind;
    n.replaceChildren(el('span', {}, text));
    if (action) {
      const b = el('button', { type: 'button' }, action.label);
      b.addEventListener('click', action.run);
      n.append(b);
    }
    n.hidden = false;
  }

  function showUser(user) {
    document.getElementById('user-name').textContent = user.name;
    document.getElementById('user-initials').textContent = user.name.split(/\s+/).map(w => w[0] || '').join('').slice(0, 2).toUpperCase();
    document.getElementById('user').hidden = false;
    document.getElementById('logout').addEventListener('click', e => { e.preventDefault(); Auth.logout(); });
  }

  async function main() {
    let user;
    try {
      user = await Auth.start();
    } catch (e) {
      notice('error', 'Sign-in failed: ' + e.message, { label: 'Sign in again', run: () => Auth.login() });
      document.body.dataset.auth = 'failed';
      return;
    }
    if (!user) {
      notice('info', 'You have signed out of CustOps.', { label: 'Sign in', run: () => Auth.login() });
      document.body.dataset.auth = 'signed-out';
      return;
    }
    document.body.dataset.auth = 'signed-in';
    showUser(user);
    if (!user.allowed) {
      notice('warning', 'Signed in as ' + user.name + ', who has none of the roles the dashboard needs (analyst, marketer or admin). Ask an administrator for one of them.');
      document.body.dataset.auth = 'forbidden';
    }
    document.getElementById('dashboard').hidden = false;
    document.getElementById('foot').hidden = false;
    kpiSections();
    const m = /grain=(\w+)/.exec(location.hash);
    setGrain(m ? m[1] : 'month');
    document.querySelectorAll('[data-grain]').forEach(b => b.addEventListener('click', () => {
      if (b.dataset.grain !== grain) {
        setGrain(b.dataset.grain);
        refresh(true);
      }
    }));
    document.getElementById('refresh').addEventListener('click', () => refresh(false));
    // the rollups move every minute; a wall display should follow without a reload
    setInterval(() => { if (!document.hidden) refresh(false); }, 5 * 60 * 1000);
    await refresh(false);
  }

  document.addEventListener('DOMContentLoaded', main);
})();
