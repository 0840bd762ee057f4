// The map of a resource's places: its rows (GeoJSON from the filtered download, at most a few
// thousand) over London's borough boundaries. No tiles unless data-tiles names a tile server.
// The preview table beside it lists the same rows for keyboard and screen-reader users.
import "../leaflet/leaflet.js";

const L = window.L;

async function fetchJson(url) {
  const response = await fetch(url, { credentials: "same-origin" });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response.json();
}

function describe(properties) {
  // A tooltip of the row's first few fields, as text (never HTML from the data).
  const box = document.createElement("div");
  Object.entries(properties || {}).slice(0, 4).forEach(([name, value]) => {
    const line = document.createElement("div");
    line.textContent = `${name}: ${value === null ? "" : value}`;
    box.appendChild(line);
  });
  return box;
}

async function drawMap(element) {
  const map = L.map(element, { attributionControl: true, scrollWheelZoom: false });
  if (element.dataset.tiles) {
    L.tileLayer(element.dataset.tiles, { attribution: element.dataset.tilesAttribution || "" }).addTo(map);
  }
  map.attributionControl.addAttribution(element.dataset.attribution || "");
  map.setView([51.5, -0.12], 10);
  const [boundaries, places] = await Promise.all([
    fetchJson(element.dataset.boundariesUrl),
    fetchJson(element.dataset.geojsonUrl),
  ]);
  const base = L.geoJSON(boundaries, {
    style: () => ({ color: "#505a5f", weight: 1, fillColor: "#f3f2f1", fillOpacity: 0.6 }),
    interactive: false,
  }).addTo(map);
  const layer = L.geoJSON(places, {
    style: () => ({ color: "#1d70b8", weight: 2, fillColor: "#5694ca", fillOpacity: 0.4 }),
    pointToLayer: (feature, latlng) => L.circleMarker(latlng, {
      radius: 5, color: "#0b3a6e", weight: 1, fillColor: "#1d70b8", fillOpacity: 0.8,
    }),
    onEachFeature: (feature, featureLayer) => featureLayer.bindTooltip(describe(feature.properties)),
  }).addTo(map);
  const bounds = layer.getLayers().length ? layer.getBounds() : base.getBounds();
  if (bounds.isValid()) map.fitBounds(bounds, { maxZoom: 15 });
  element.dataset.ready = "true";
}

document.querySelectorAll("[data-places-map]").forEach((element) => {
  drawMap(element).catch(() => {
    element.textContent = "The map could not be drawn. The preview table lists the same rows.";
    element.dataset.ready = "failed";
  });
});
