// The device page's metric chart: loads the chosen metric over the chosen range from /web/devices/{serial}/readings
// (following the answer's Next link page by page) and draws it in the plant's zone.
import { metricChart } from './charts.js';

const MaxPages = 50;

const el = document.getElementById('metric-chart');
if (el) {
  const status = document.getElementById('metric-chart-status');
  const metric = el.dataset.metric;
  const base = el.dataset.src;
  (async () => {
    try {
      const readings = [];
      let zone = el.dataset.zone;
      let url = base;
      for (let page = 0; url && page < MaxPages; page++) {
        const response = await fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
        if (!response.ok) throw new Error(`${response.status}`);
        const body = await response.json();
        zone = body.timeZone || zone;
        readings.push(...body.readings);
        url = nextUrl(base, body.next);
      }
      if (readings.length === 0) {
        status.textContent = 'No readings in this range.';
        el.dataset.points = '0';
        return;
      }
      status.textContent = url ? `Showing the first ${readings.length} readings of this range; choose a shorter one to see all.` : '';
      metricChart(el, readings, metric, zone);
    } catch (e) {
      status.textContent = 'The readings could not be loaded.';
      console.warn(e);
    }
  })();
}

// Next is the query string of the next page ("?from=…"), or null at the end.
function nextUrl(base, next) {
  if (!next) return null;
  const path = base.split('?')[0];
  return next.startsWith('/') ? next : `${path}${next.startsWith('?') ? '' : '?'}${next}`;
}
