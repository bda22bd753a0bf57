// The plant page's dashboard: draws the power curve and the energy bars from the data the server rendered into the
// page, then, while the page shows today, refreshes the KPIs, the energy flow and today's curve every 30 s from the
// /web JSON endpoints (the same answers as the server-side first view), without reloading the page.
import { powerChart, energyChart } from './charts.js';
import * as fmt from './format.js';

const RefreshMs = 30_000;

const root = document.getElementById('dashboard');
if (root) {
  const plantId = root.dataset.plant;
  const zone = root.dataset.zone;

  const powerEl = document.getElementById('power-chart');
  const curve = powerEl ? powerChart(powerEl, JSON.parse(powerEl.dataset.curve), Number(powerEl.dataset.from), Number(powerEl.dataset.to)) : null;
  const energyEl = document.getElementById('energy-chart');
  if (energyEl) {
    const bars = energyChart(energyEl, JSON.parse(energyEl.dataset.bars));
    // A click on a bar opens it one level down, as the link of its row in the table does.
    bars.over.addEventListener('click', () => {
      const i = bars.cursor.idx;
      const link = i == null ? null : document.querySelector(`#energy-table tbody tr:nth-child(${i + 1}) a`);
      if (link) window.location.href = link.href;
    });
  }

  const kpis = {
    currentPowerW: o => fmt.power(o.currentPowerW),
    energyTodayKwh: o => fmt.energy(o.energyTodayKwh),
    energyThisMonthKwh: o => fmt.energy(o.energyThisMonthKwh),
    energyThisYearKwh: o => fmt.energy(o.energyThisYearKwh),
    energyLifetimeKwh: o => fmt.energy(o.energyLifetimeKwh),
    specificYieldTodayKwhPerKwp: o => fmt.specificYield(o.specificYieldTodayKwhPerKwp),
    co2AvoidedKg: o => fmt.mass(o.co2AvoidedKg),
    revenueToday: o => fmt.money(o.revenueToday, o.currency),
    revenueLifetime: o => fmt.money(o.revenueLifetime, o.currency),
    lastDataAt: o => fmt.localTime(o.lastDataAt, zone),
  };

  function showOverview(o) {
    for (const [name, text] of Object.entries(kpis)) {
      const el = root.querySelector(`[data-kpi="${name}"]`);
      if (el) el.textContent = text(o);
    }
    const status = root.querySelector('[data-kpi="status"]');
    if (status) {
      status.textContent = fmt.statusName(o.status);
      status.className = `status status-${o.status}`;
    }
    const flow = o.flow ?? {};
    for (const el of root.querySelectorAll('[data-flow]')) {
      const v = flow[el.dataset.flow];
      el.textContent = v == null ? '–' : el.dataset.flow === 'batterySocPercent' ? fmt.percent(v) : fmt.power(Math.abs(v));
    }
    // Direction words follow the sign conventions of docs/metrics.md.
    for (const el of root.querySelectorAll('[data-flow-direction]')) {
      const v = flow[el.dataset.flowDirection];
      const [positive, negative] = el.dataset.words.split('|');
      el.textContent = v == null || v === 0 ? '' : v > 0 ? positive : negative;
    }
    root.dataset.refreshedAt = new Date().toISOString();
  }

  async function getJson(url) {
    const response = await fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
    return { body: await response.json(), serverDate: response.headers.get('Date') };
  }

  const live = document.getElementById('live-note');
  async function refresh() {
    if (document.hidden) return;
    try {
      const [overview, today] = await Promise.all([
        getJson(`/web/plants/${plantId}/overview`),
        curve ? getJson(`/web/plants/${plantId}/power?date=${powerEl.dataset.date}`) : null,
      ]);
      // Past the plant's midnight (by the server's clock, not the browser's) the page would go on refreshing
      // yesterday: load today's page instead.
      if (curve && overview.serverDate && fmt.localTime(overview.serverDate, zone).slice(0, 10) !== powerEl.dataset.date) {
        window.location.assign(`/plants/${plantId}`);
        return;
      }
      showOverview(overview.body);
      if (today) curve.update(today.body);
      if (live) live.textContent = `Updated ${fmt.localTime(new Date(), zone).slice(11)}`;
    } catch (e) {
      // A lost connection or an ended session: say so and keep the last figures; the next tick tries again.
      if (live) live.textContent = 'Not updated: connection lost';
      console.warn(e);
    }
  }

  if (root.dataset.live === 'true') {
    setInterval(refresh, RefreshMs);
    document.addEventListener('visibilitychange', () => { if (!document.hidden) refresh(); });
  }
}
