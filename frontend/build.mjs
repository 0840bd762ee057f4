// Builds the UI assets into interborough/ui/static/ui/build (not committed).
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "interborough", "ui", "static", "ui", "build");
const nm = join(root, "node_modules");

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const css = sass.compile(join(root, "frontend", "scss", "main.scss"), {
  loadPaths: [nm],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import", "global-builtin", "slash-div", "color-functions"],
});
writeFileSync(join(out, "main.css"), css.css);

cpSync(join(nm, "govuk-frontend", "dist", "govuk", "govuk-frontend.min.js"), join(out, "govuk-frontend.min.js"));
cpSync(join(nm, "govuk-frontend", "dist", "govuk", "assets", "images"), join(out, "images"), { recursive: true });
cpSync(join(nm, "leaflet", "dist"), join(out, "leaflet"), { recursive: true });
cpSync(join(root, "frontend", "js"), join(out, "js"), { recursive: true });
console.log(`built assets in ${out}`);
