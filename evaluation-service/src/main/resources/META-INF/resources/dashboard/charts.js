'use strict';

/**
 * Hand-drawn SVG charts. Every data mark carries data-value (and data-label or data-period) so a test or a screen
 * reader can check what is drawn; all text goes in through textContent, never markup.
 */
const Charts = (() => {
  const SVG = 'http://www.w3.org/2000/svg';

  function svg(name, attrs, text) {
    const e = document.createElementNS(SVG, name);
    Object.entries(attrs || {}).forEach(([k, v]) => { if (v !== undefined && v !== null) e.setAttribute(k, String(v)); });
    if (text !== undefined) e.textContent = String(text);
    return e;
  }

  function el(name, attrs, text) {
    const e = document.createElement(name);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (v === undefined || v === null) return;
      if (k === 'class') e.className = v; else e.setAttribute(k, String(v));
    });
    if (text !== undefined) e.textContent = String(text);
    return e;
  }

  function title(parent, text) {
    parent.appendChild(svg('title', {}, text));
    return parent;
  }

  /** Round tick values covering [min, max]. */
  function ticks(min, max, count) {
    if (min === max) {
      const pad = Math.abs(min) > 0 ? Math.abs(min) * 0.5 : 1;
      min -= min >= 0 && min - pad < 0 ? min : pad;
      max += pad;
    }
    const raw = (max - min) / Math.max(1, count);
    const mag = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 2.5, 5, 10].map(m => m * mag).find(s => s >= raw) || raw;
    const lo = Math.floor(min / step) * step;
    const hi = Math.ceil(max / step) * step;
    const out = [];
    for (let v = lo; v <= hi + step / 2; v += step) out.push(Math.abs(v) < step / 1e6 ? 0 : v);
    return out;
  }

  /**
   * A line chart of one series: points {period, value} (value null = nothing to divide by: a gap). Draws the grid,
   * the line with its area, and a dot per known value carrying data-value and data-period.
   */
  function line(points, opts) {
    const W = 360, H = 170, L = 46, R = 10, T = 12, B = 26;
    const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'line-chart', role: 'img', 'aria-label': opts.label });
    const known = points.filter(p => Number.isFinite(p.value));
    const values = known.map(p => p.value);
    const lo = Math.min(0, ...values), hi = Math.max(...values);
    const ys = ticks(lo, hi, 3);
    const yMin = ys[0], yMax = ys[ys.length - 1];
    const x = i => L + (points.length <= 1 ? (W - L - R) / 2 : i * (W - L - R) / (points.length - 1));
    const y = v => T + (H - T - B) * (1 - (v - yMin) / ((yMax - yMin) || 1));
    const grid = svg('g', { class: 'gridlines' });
    ys.forEach(v => {
      grid.appendChild(svg('line', { x1: L, x2: W - R, y1: y(v), y2: y(v) }));
      grid.appendChild(svg('text', { x: L - 6, y: y(v) + 3, 'text-anchor': 'end', class: 'axis' }, opts.tick(v)));
    });
    root.appendChild(grid);
    // x labels: first, middle and last period
    const labelled = new Set([0, Math.floor((points.length - 1) / 2), points.length - 1]);
    points.forEach((p, i) => {
      if (labelled.has(i)) {
        root.appendChild(svg('text', { x: x(i), y: H - 8, 'text-anchor': i === 0 && points.length > 1 ? 'start' : i === points.length - 1 && points.length > 1 ? 'end' : 'middle', class: 'axis' }, opts.period(p.period)));
      }
    });
    // one path per run of known values, so a period with nothing to divide by is a gap rather than a zero
    let run = [];
    const runs = [];
    points.forEach((p, i) => {
      if (Number.isFinite(p.value)) run.push([x(i), y(p.value)]);
      else if (run.length) { runs.push(run); run = []; }
    });
    if (run.length) runs.push(run);
    runs.forEach(r => {
      if (r.length > 1) {
        const d = r.map((xy, i) => (i ? 'L' : 'M') + xy[0].toFixed(1) + ' ' + xy[1].toFixed(1)).join(' ');
        root.appendChild(svg('path', { d: d + ` L${r[r.length - 1][0].toFixed(1)} ${y(Math.max(yMin, 0)).toFixed(1)} L${r[0][0].toFixed(1)} ${y(Math.max(yMin, 0)).toFixed(1)} Z`, class: 'area' }));
        root.appendChild(svg('path', { d, class: 'line' }));
      }
    });
    const marks = svg('g', { class: 'marks' });
    points.forEach((p, i) => {
      if (!Number.isFinite(p.value)) return;
      const dot = svg('circle', { cx: x(i), cy: y(p.value), r: i === points.length - 1 ? 3.5 : 2.5, class: 'dot', 'data-value': p.value, 'data-period': p.period });
      marks.appendChild(title(dot, opts.period(p.period) + ': ' + opts.format(p.value)));
    });
    root.appendChild(marks);
    return root;
  }

  /** Vertical bars, one per item {label, value, note}; the bar carries data-label and data-value. */
  function bars(items, opts) {
    const W = opts.width || 360, H = opts.height || 190, L = 12, R = 12, T = 22, B = 30;
    const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'bar-chart', role: 'img', 'aria-label': opts.label });
    const max = Math.max(...items.map(i => i.value), 1);
    const slot = (W - L - R) / items.length;
    const bw = Math.min(56, slot * 0.62);
    root.appendChild(svg('line', { x1: L, x2: W - R, y1: H - B, y2: H - B, class: 'baseline' }));
    items.forEach((item, i) => {
      const h = (H - T - B) * item.value / max;
      const cx = L + slot * i + slot / 2;
      const bar = svg('rect', { x: cx - bw / 2, y: H - B - h, width: bw, height: Math.max(h, item.value > 0 ? 1 : 0), rx: 3,
        class: 'bar ' + (opts.className ? opts.className(item, i) : ''), 'data-label': item.label, 'data-value': item.value });
      root.appendChild(title(bar, item.label + ': ' + opts.format(item.value) + (item.note ? ' (' + item.note + ')' : '')));
      root.appendChild(svg('text', { x: cx, y: H - B - h - 6, 'text-anchor': 'middle', class: 'value' }, opts.format(item.value)));
      root.appendChild(svg('text', { x: cx, y: H - B + 14, 'text-anchor': 'middle', class: 'axis strong' }, item.label));
      if (item.note) root.appendChild(svg('text', { x: cx, y: H - B + 26, 'text-anchor': 'middle', class: 'axis' }, item.note));
    });
    return root;
  }

  /**
   * A campaign's funnel: one column per stage, its height the stage's count against the first stage's, the step
   * rate between columns. Stages {key, label, value, missing}; a missing stage (no receipts) is drawn hatched.
   */
  function funnel(stages, opts) {
    const W = 460, H = 120, T = 18, B = 30, gap = 26;
    const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'funnel-chart', role: 'img', 'aria-label': opts.label });
    const top = Math.max(stages[0].value, 1);
    const cw = (W - gap * (stages.length - 1)) / stages.length;
    stages.forEach((s, i) => {
      const h = (H - T - B) * (s.missing ? 1 : s.value / top);
      const x0 = i * (cw + gap);
      const rect = svg('rect', { x: x0, y: H - B - h, width: cw, height: Math.max(h, s.value > 0 ? 1.5 : 0), rx: 2,
        class: 'stage stage-' + i + (s.missing ? ' missing' : ''), 'data-stage': s.key, 'data-value': s.value });
      root.appendChild(title(rect, s.label + ': ' + (s.missing ? 'no receipts' : s.value.toLocaleString())));
      root.appendChild(svg('text', { x: x0 + cw / 2, y: H - B - h - 5, 'text-anchor': 'middle', class: 'value' }, s.missing ? '—' : s.value.toLocaleString()));
      root.appendChild(svg('text', { x: x0 + cw / 2, y: H - 14, 'text-anchor': 'middle', class: 'axis strong' }, s.label));
      root.appendChild(svg('text', { x: x0 + cw / 2, y: H - 2, 'text-anchor': 'middle', class: 'axis' },
        i === 0 || s.missing ? '' : pct(s.value, stages[0].value) + ' of sent'));
    });
    return root;
  }

  function pct(n, d) {
    return d > 0 ? (100 * n / d).toFixed(n * 100 / d < 10 ? 1 : 0) + '%' : '—';
  }

  /**
   * A forest-plot row: the difference to the baseline as a dot with its interval, against a shared scale centred
   * on zero. data-value is the difference, data-low/data-high the interval.
   */
  function interval(result, scale, opts) {
    const W = 220, H = 26, M = 8;
    const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'interval', role: 'img', 'aria-label': opts.label });
    const x = v => M + (W - 2 * M) * (v + scale) / (2 * scale);
    root.appendChild(svg('line', { x1: x(0), x2: x(0), y1: 2, y2: H - 2, class: 'zero' }));
    const lo = Math.max(-scale, result.ciLow), hi = Math.min(scale, result.ciHigh);
    const better = result.ciLow > 0, worse = result.ciHigh < 0;
    const cls = better ? 'better' : worse ? 'worse' : 'neutral';
    root.appendChild(svg('line', { x1: x(lo), x2: x(hi), y1: H / 2, y2: H / 2, class: 'ci ' + cls }));
    const dot = svg('circle', { cx: x(Math.max(-scale, Math.min(scale, result.difference))), cy: H / 2, r: 4, class: 'estimate ' + cls,
      'data-value': result.difference, 'data-low': result.ciLow, 'data-high': result.ciHigh });
    root.appendChild(title(dot, opts.format(result.difference) + ' [' + opts.format(result.ciLow) + ', ' + opts.format(result.ciHigh) + ']'));
    return root;
  }

  /** Several series over the same periods (health counts), each its own line and dots. */
  function multiLine(periods, series, opts) {
    const W = opts.width || 520, H = opts.height || 170, L = 40, R = 10, T = 12, B = 26;
    const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'line-chart multi', role: 'img', 'aria-label': opts.label });
    const all = series.flatMap(s => s.values);
    const ys = ticks(0, Math.max(...all, 1), 3);
    const yMax = ys[ys.length - 1];
    const x = i => L + (periods.length <= 1 ? (W - L - R) / 2 : i * (W - L - R) / (periods.length - 1));
    const y = v => T + (H - T - B) * (1 - v / (yMax || 1));
    const grid = svg('g', { class: 'gridlines' });
    ys.forEach(v => {
      grid.appendChild(svg('line', { x1: L, x2: W - R, y1: y(v), y2: y(v) }));
      grid.appendChild(svg('text', { x: L - 6, y: y(v) + 3, 'text-anchor': 'end', class: 'axis' }, Math.round(v).toLocaleString()));
    });
    root.appendChild(grid);
    const labelled = new Set([0, Math.floor((periods.length - 1) / 2), periods.length - 1]);
    periods.forEach((p, i) => {
      if (labelled.has(i)) root.appendChild(svg('text', { x: x(i), y: H - 8, 'text-anchor': 'middle', class: 'axis' }, opts.period(p)));
    });
    series.forEach((s, k) => {
      if (s.values.length > 1) {
        root.appendChild(svg('path', { d: s.values.map((v, i) => (i ? 'L' : 'M') + x(i).toFixed(1) + ' ' + y(v).toFixed(1)).join(' '), class: 'line series-' + k }));
      }
      const g = svg('g', { class: 'marks', 'data-series': s.key });
      s.values.forEach((v, i) => g.appendChild(title(svg('circle', { cx: x(i), cy: y(v), r: 2.8, class: 'dot series-' + k, 'data-value': v, 'data-period': periods[i] }),
        s.label + ' ' + opts.period(periods[i]) + ': ' + v.toLocaleString())));
      root.appendChild(g);
    });
    return root;
  }

  return { svg, el, line, bars, funnel, interval, multiLine, pct };
})();
