// The projects choropleth: London's boroughs shaded by how many matching projects each owns.
// Counts come from the page (json_script), boundaries from /organisations/boroughs.geojson.
// Selecting a borough filters the list (?organisation=<slug>); the table beside the map gives the
// same counts and links for keyboard and screen-reader users.
import "../leaflet/leaflet.js";

const L = window.L;

// Light to dark: GOV.UK blues, then the brand blue. Zero is grey so "none" reads as "none".
const NONE = "#f3f2f1";
const SHADES = ["#d2e2f1", "#9dc0e4", "#5694ca", "#1d70b8", "#0b3a6e"];

function classesFor(max) {
  // Up to five steps from 1 to the largest count; fewer counts use the darker shades.
  const steps = Math.min(SHADES.length, max);
  const classes = [];
  let from = 1;
  for (let i = 1; i <= steps; i += 1) {
    const to = i === steps ? max : Math.round((max * i) / steps);
    if (to >= from) {
      classes.push({ from, to, colour: SHADES[SHADES.length - steps + i - 1] });
      from = to + 1;
    }
  }
  return classes;
}

function colourOf(count, classes) {
  if (!count) return NONE;
  const found = classes.find((c) => count >= c.from && count <= c.to);
  return found ? found.colour : classes[classes.length - 1].colour;
}

function legend(classes) {
  const control = L.control({ position: "bottomright" });
  control.onAdd = () => {
    const box = L.DomUtil.create("div", "ib-map-legend");
    Object.assign(box.style, {
      background: "#ffffff",
      color: "#0b0c0c",
      padding: "6px 8px",
      border: "1px solid #505a5f",
      font: "14px/1.4 'Helvetica Neue', Helvetica, Arial, sans-serif",
    });
    const title = document.createElement("strong");
    title.textContent = "Projects";
    box.appendChild(title);
    const rows = [{ label: "0", colour: NONE }].concat(
      classes.map((c) => ({ label: c.from === c.to ? `${c.from}` : `${c.from}–${c.to}`, colour: c.colour })),
    );
    rows.forEach((row) => {
      const line = document.createElement("div");
      const swatch = document.createElement("span");
      Object.assign(swatch.style, {
        display: "inline-block",
        width: "14px",
        height: "14px",
        marginRight: "6px",
        verticalAlign: "middle",
        background: row.colour,
        border: "1px solid #505a5f",
      });
      swatch.setAttribute("aria-hidden", "true");
      line.appendChild(swatch);
      line.appendChild(document.createTextNode(row.label));
      box.appendChild(line);
    });
    return box;
  };
  return control;
}

async function drawMap(element) {
  const response = await fetch(element.dataset.geojsonUrl, { credentials: "same-origin" });
  const boundaries = await response.json();
  const counts = JSON.parse(document.getElementById(element.dataset.counts).textContent);
  const selected = new Set((element.dataset.selected || "").split(",").filter(Boolean));
  const max = Math.max(0, ...Object.values(counts));
  const classes = classesFor(max);

  const map = L.map(element, { attributionControl: true, scrollWheelZoom: false });
  if (element.dataset.tiles) {
    L.tileLayer(element.dataset.tiles, { attribution: element.dataset.tilesAttribution || "" }).addTo(map);
  }
  const layer = L.geoJSON(boundaries, {
    style: (feature) => {
      const chosen = selected.has(feature.properties.slug);
      return {
        color: chosen ? "#0b0c0c" : "#1d4e89",
        weight: chosen ? 3 : 1,
        fillColor: colourOf(counts[feature.properties.code] || 0, classes),
        fillOpacity: 0.85,
      };
    },
    onEachFeature: (feature, featureLayer) => {
      const count = counts[feature.properties.code] || 0;
      featureLayer.bindTooltip(`${feature.properties.name}: ${count} project${count === 1 ? "" : "s"}`);
      if (feature.properties.slug) {
        featureLayer.on("click", () => {
          window.location.href = `${element.dataset.filterBase}organisation=${encodeURIComponent(feature.properties.slug)}`;
        });
      }
    },
  }).addTo(map);
  legend(classes).addTo(map);
  map.attributionControl.addAttribution(element.dataset.attribution || "");
  map.fitBounds(layer.getBounds());
  element.dataset.ready = "true";
}

document.querySelectorAll("[data-projects-map]").forEach(drawMap);
