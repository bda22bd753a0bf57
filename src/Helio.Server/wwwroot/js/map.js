// The portfolio's map (Leaflet, loaded as wwwroot/lib/leaflet/leaflet.js before this module). The plants come from
// the table the server rendered (data-lat, data-lon, data-status on each row), so the map shows exactly the rows of
// the current search and costs no request of its own. Tiles come from the server's Web:MapTileUrl (empty: markers
// only), and only once the visitor agrees: each tile request tells that server the visitor's address and the area
// viewed (docs/dashboards.md).
const el = document.getElementById('plant-map');
const L = window.L;
if (el && L) {
  const css = name => getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  const colours = {
    producing: css('--helio-producing'), idle: css('--helio-idle'), offline: css('--helio-offline'),
    fault: css('--helio-fault'), noData: css('--helio-nodata'),
  };

  // Canvas markers: a thousand plants stay one drawing, not a thousand DOM nodes.
  const map = L.map(el, { preferCanvas: true, scrollWheelZoom: false, worldCopyJump: true });
  const tiles = el.dataset.tiles;
  if (tiles) {
    const host = new URL(tiles.replaceAll(/\{[a-z]\}/g, '0')).host;
    const showTiles = () => L.tileLayer(tiles, {
      maxZoom: 19,
      // Pages send no Referer (Referrer-Policy: no-referrer); tile servers such as OpenStreetMap's require one to
      // tell sites apart, so tiles carry this site's origin, never the page's path.
      referrerPolicy: 'strict-origin',
      attribution: host.endsWith('openstreetmap.org')
        ? '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
        : `Tiles: ${host.replace(/[^a-z0-9.-]/gi, '')}`,
    }).addTo(map);
    // Tiles from another server tell it the visitor's address and where their plants are: only after the visitor
    // says yes, remembered in this browser for this tile server.
    const consent = 'helio.map-tiles';
    if (localStorage.getItem(consent) === host) {
      showTiles();
    } else {
      const ask = document.createElement('button');
      ask.type = 'button';
      ask.className = 'secondary outline map-consent';
      ask.textContent = `Show the map background (loads images from ${host}, which then sees your IP address)`;
      ask.addEventListener('click', () => {
        localStorage.setItem(consent, host);
        showTiles();
        ask.remove();
      });
      el.after(ask);
    }
  }

  const points = [];
  for (const row of document.querySelectorAll('table.portfolio tbody tr[data-lat]')) {
    const lat = Number(row.dataset.lat);
    const lon = Number(row.dataset.lon);
    if (!Number.isFinite(lat) || !Number.isFinite(lon)) continue;
    const link = row.querySelector('a');
    const marker = L.circleMarker([lat, lon], {
      radius: 7, weight: 2, color: '#fff', fillOpacity: 0.9, fillColor: colours[row.dataset.status] || colours.noData,
    }).addTo(map);
    // Names are the owners' own text: built as text nodes, never as HTML.
    const popup = document.createElement('div');
    const a = document.createElement('a');
    a.href = link.getAttribute('href');
    a.textContent = link.textContent;
    const status = document.createElement('div');
    status.textContent = row.querySelector('.status')?.textContent ?? '';
    popup.append(a, status);
    marker.bindPopup(popup);
    points.push([lat, lon]);
  }
  if (points.length > 0) {
    map.fitBounds(points, { padding: [24, 24], maxZoom: 11 });
  } else {
    map.setView([30, 0], 2);
  }
  el.dataset.markers = String(points.length);
}
