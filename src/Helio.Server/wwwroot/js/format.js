// How the dashboards write numbers and times: the same rules as Features/Web/Pages/Dashboard/Units.cs, so that a
// figure refreshed in the browser looks as the server rendered it. Change both together.

const fixed = (value, digits) => value.toFixed(digits);

export function power(watts) {
  const a = Math.abs(watts);
  if (a < 1000) return `${fixed(watts, 0)} W`;
  if (a < 1e6) return `${fixed(watts / 1000, 2)} kW`;
  return `${fixed(watts / 1e6, 2)} MW`;
}

export function energy(kwh) {
  const a = Math.abs(kwh);
  if (a < 10) return `${fixed(kwh, 2)} kWh`;
  if (a < 1000) return `${fixed(kwh, 1)} kWh`;
  if (a < 1e6) return `${fixed(kwh / 1000, 2)} MWh`;
  return `${fixed(kwh / 1e6, 2)} GWh`;
}

export const specificYield = v => (v == null ? '–' : `${fixed(v, 2)} kWh/kWp`);
export const mass = kg => (Math.abs(kg) < 1000 ? `${fixed(kg, 0)} kg` : `${fixed(kg / 1000, 2)} t`);
export const money = (amount, currency) => (amount == null ? '–' : `${fixed(amount, 2)}${currency ? ' ' + currency : ''}`);
export const percent = p => `${fixed(p, 0)} %`;

const statusNames = { producing: 'Producing', idle: 'Idle', offline: 'Offline', fault: 'Fault', noData: 'No data yet' };
export const statusName = s => statusNames[s] ?? s;

// "2026-11-30 14:05" in the plant's IANA zone, whatever the browser's own zone is.
const formatters = new Map();
export function localTime(iso, zone) {
  if (!iso) return 'never';
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(zone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(iso)).map(x => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

// A metric value with the unit its name ends with (docs/metrics.md).
const units = [['Percent', ' %'], ['Kwh', ' kWh'], ['Kohm', ' kΩ'], ['Min', ' min'], ['Hz', ' Hz'], ['W', ' W'], ['V', ' V'], ['A', ' A'], ['C', ' °C']];
export function unitOf(metric) {
  for (const [suffix, unit] of units) if (metric.endsWith(suffix)) return unit.trim();
  return '';
}
