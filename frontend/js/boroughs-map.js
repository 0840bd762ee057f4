// Draws the London borough boundaries with Leaflet. Tiles are optional (data-tiles on the map element).
import "../leaflet/leaflet.js";

const L = window.L;

async function mapData(element) {
  if (element.dataset.geojsonUrl) {
    const response = await fetch(element.dataset.geojsonUrl, { credentials: "same-origin" });
    return response.json();
  }
  return JSON.parse(document.getElementById(element.dataset.geojson).textContent);
}

async function drawMap(element) {
  const data = await mapData(element);
  const map = L.map(element, { attributionControl: true, scrollWheelZoom: false });
  if (element.dataset.tiles) {
    L.tileLayer(element.dataset.tiles, { attribution: element.dataset.tilesAttribution || "" }).addTo(map);
  }
  const highlight = element.dataset.highlight || "";
  const layer = L.geoJSON(data, {
    style: (feature) => ({
      color: "#1d4e89",
      weight: feature.properties.code === highlight ? 3 : 1,
      fillColor: feature.properties.code === highlight ? "#f47738" : "#5694ca",
      fillOpacity: feature.properties.code === highlight ? 0.7 : 0.25,
    }),
    onEachFeature: (feature, featureLayer) => {
      featureLayer.bindTooltip(feature.properties.name);
      if (feature.properties.slug) {
        featureLayer.on("click", () => { window.location.href = `/organisations/${feature.properties.slug}/`; });
      }
    },
  }).addTo(map);
  map.attributionControl.addAttribution(element.dataset.attribution || "");
  map.fitBounds(layer.getBounds());
}

document.querySelectorAll("[data-borough-map]").forEach(drawMap);
