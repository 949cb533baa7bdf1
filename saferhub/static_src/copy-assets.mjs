// Copies the browser assets Saferhub serves into saferhub/static/saferhub/.
// Run by `npm run build` after Sass; the output directory is git-ignored.
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..");
const modules = join(root, "node_modules");
const out = join(root, "saferhub", "static", "saferhub");

// [source, destination relative to `out`]
const files = [
  [join(modules, "govuk-frontend/dist/govuk/govuk-frontend.min.js"), "govuk-frontend.min.js"],
  [join(modules, "@ministryofjustice/frontend/moj/moj-frontend.min.js"), "moj-frontend.min.js"],
  [join(modules, "htmx.org/dist/htmx.min.js"), "htmx.min.js"],
  [join(modules, "axe-core/axe.min.js"), "axe.min.js"],
  [join(here, "js/init.mjs"), "init.mjs"],
  [join(here, "js/tables.mjs"), "tables.mjs"],
  [join(here, "js/timeout.mjs"), "timeout.mjs"],
  [join(here, "img/saferhub-mark.svg"), "saferhub-mark.svg"],
  [join(here, "img/saferhub-logo.svg"), "saferhub-logo.svg"],
  [join(here, "img/saferhub-mark.svg"), "favicon.svg"],
  [join(here, "js/rj-street.mjs"), "rj-street.mjs"],
];

// Icons the compiled MoJ component styles refer to, found in the built CSS so
// the list cannot drift from the components we include.
const css = readFileSync(join(out, "saferhub.css"), "utf8");
for (const [, name] of css.matchAll(/url\(["']?images\/([\w.-]+)["']?\)/g)) {
  files.push([join(modules, "@ministryofjustice/frontend/moj/assets/images", name), join("images", name)]);
}

for (const [source, target] of files) {
  const destination = join(out, target);
  mkdirSync(dirname(destination), { recursive: true });
  copyFileSync(source, destination);
}
console.log(`Copied ${files.length} files to ${out}`);
