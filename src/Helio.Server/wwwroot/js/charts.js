// The dashboards' charts, drawn by uPlot (wwwroot/lib/uplot). Times on the axes and in the legend are in the plant's
// IANA zone (uPlot's tzDate with the zone the DTO carries), not the browser's: a plant in Lisbon reads the same to an
// installer in Berlin. uPlot styles its elements through the CSSOM, which the CSP (style-src 'self') allows.
import uPlot from '../lib/uplot/uPlot.esm.js';
import * as fmt from './format.js';

const css = name => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

function colours() {
  return {
    line: css('--pico-primary') || '#0172ad',
    fill: css('--helio-chart-fill') || 'rgba(1,114,173,0.15)',
    axis: css('--pico-muted-color') || '#646b79',
    grid: css('--pico-muted-border-color') || '#e7eaf0',
  };
}

const zoned = zone => ts => uPlot.tzDate(new Date(ts * 1e3), zone);

function axis(c, extra) {
  return { stroke: c.axis, grid: { stroke: c.grid, width: 1 }, ticks: { stroke: c.grid, width: 1 }, ...extra };
}

// A chart that follows its container's width (phones turn, windows resize).
function responsive(el, opts, data) {
  const width = () => Math.max(200, el.clientWidth);
  const chart = new uPlot({ ...opts, width: width() }, data, el);
  new ResizeObserver(() => chart.setSize({ width: width(), height: opts.height })).observe(el);
  return chart;
}

const hhmm = (ts, zone) => (ts == null ? '–' : fmt.localTime(ts * 1e3, zone).slice(11));

// 24-hour stamps for time axes (uPlot's own default is 12-hour): [min tick, format, year, month, day, hour, min, sec, concat].
const stamps24 = [
  [3600 * 24 * 365, '{YYYY}', null, null, null, null, null, null, 1],
  [3600 * 24 * 28, '{MMM}', '\n{YYYY}', null, null, null, null, null, 1],
  [3600 * 24, '{MM}-{DD}', '\n{YYYY}', null, null, null, null, null, 1],
  [3600, '{HH}:{mm}', '\n{YYYY}-{MM}-{DD}', null, '\n{MM}-{DD}', null, null, null, 1],
  [60, '{HH}:{mm}', '\n{YYYY}-{MM}-{DD}', null, '\n{MM}-{DD}', null, null, null, 1],
  [1, ':{ss}', '\n{YYYY}-{MM}-{DD} {HH}:{mm}', null, '\n{MM}-{DD} {HH}:{mm}', null, '\n{HH}:{mm}', null, 1],
];

/** The power curve of one local day: kW over 00:00–24:00 of the plant's zone. */
export function powerChart(el, curve, from, to) {
  const c = colours();
  const toData = cv => [cv.points.map(p => Date.parse(p.at) / 1e3), cv.points.map(p => p.powerW / 1000)];
  const chart = responsive(el, {
    height: 260,
    tzDate: zoned(curve.timeZone),
    scales: { x: { time: true, range: () => [from, to] }, y: { range: (u, min, max) => [0, Math.max(max * 1.1, 0.1)] } },
    series: [
      { label: 'Time', value: (u, ts) => hhmm(ts, curve.timeZone) },
      { label: 'Power', stroke: c.line, fill: c.fill, width: 2, points: { show: false }, value: (u, kw) => (kw == null ? '–' : fmt.power(kw * 1000)) },
    ],
    axes: [
      axis(c, { values: (u, splits) => splits.map(ts => hhmm(ts, curve.timeZone)) }),
      axis(c, { size: 60, values: (u, splits) => splits.map(kw => `${kw} kW`) }),
    ],
    cursor: { drag: { x: false, y: false } },
  }, toData(curve));
  const count = cv => { el.dataset.points = String(cv.points.length); };
  count(curve);
  return {
    update(cv) {
      chart.setData(toData(cv), false);
      chart.redraw(false, true);
      count(cv);
    },
  };
}

// Bar labels as the axis shows them: "14:00" for hours, the day of the month, the month's name, the year.
const monthNames = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
function shortLabel(period, label) {
  switch (period) {
    case 'day': return label;
    case 'month': return String(Number(label.slice(8, 10)));
    case 'year': return monthNames[Number(label.slice(5, 7)) - 1] ?? label;
    default: return label;
  }
}

/** Energy bars of a day, month, year or the plant's lifetime; bar i sits at x = i. */
export function energyChart(el, dto) {
  const c = colours();
  const n = dto.bars.length;
  const chart = responsive(el, {
    height: 240,
    scales: { x: { time: false, range: () => [-0.5, n - 0.5] }, y: { range: (u, min, max) => [0, Math.max(max * 1.1, 0.1)] } },
    series: [
      { label: 'Period', value: (u, i) => (i == null || !dto.bars[i] ? '–' : dto.bars[i].label) },
      {
        label: 'Energy', stroke: c.line, fill: c.line, width: 0, points: { show: false },
        paths: uPlot.paths.bars({ size: [0.7, 48], align: 0 }),
        value: (u, kwh) => (kwh == null ? '–' : fmt.energy(kwh)),
      },
    ],
    axes: [
      axis(c, {
        space: 28, incrs: [1, 2, 3, 5, 10, 20, 50], grid: { show: false },
        values: (u, splits) => splits.map(i => (Number.isInteger(i) && dto.bars[i] ? shortLabel(dto.period, dto.bars[i].label) : '')),
      }),
      axis(c, { size: 60, values: (u, splits) => splits.map(kwh => `${kwh} kWh`) }),
    ],
    cursor: { drag: { x: false, y: false }, points: { show: false } },
  }, [dto.bars.map((b, i) => i), dto.bars.map(b => b.energyKwh)]);
  el.dataset.points = String(n);
  return chart;
}

/** One metric of a device's raw readings over a chosen range. */
export function metricChart(el, readings, metric, zone) {
  const c = colours();
  const unit = fmt.unitOf(metric);
  const xs = [];
  const ys = [];
  for (const r of readings) {
    xs.push(Date.parse(r.at) / 1e3);
    ys.push(r.values[metric] ?? null);
  }
  const chart = responsive(el, {
    height: 260,
    tzDate: zoned(zone),
    scales: { x: { time: true } },
    series: [
      { label: 'Time', value: (u, ts) => (ts == null ? '–' : fmt.localTime(ts * 1e3, zone)) },
      { label: metric, stroke: c.line, width: 2, spanGaps: false, points: { show: false }, value: (u, v) => (v == null ? '–' : `${v} ${unit}`) },
    ],
    axes: [axis(c, { values: stamps24 }), axis(c, { size: 64, values: (u, splits) => splits.map(v => `${v} ${unit}`) })],
    cursor: { drag: { x: true, y: false } },
  }, [xs, ys]);
  el.dataset.points = String(xs.length);
  return chart;
}
