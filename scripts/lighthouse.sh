#!/usr/bin/env bash
# Lighthouse 12 scores of each page type of the built site, served on 127.0.0.1.
# Usage: scripts/lighthouse.sh [site-dir]   (needs node/npm and Debian chromium; installs lighthouse@12
# into a cache folder outside the repository on first use)
set -euo pipefail
site=${1:-site}
cache=${LIGHTHOUSE_HOME:-$HOME/.cache/slmsurvey-lighthouse}
[ -x "$cache/node_modules/.bin/lighthouse" ] || npm install --silent --prefix "$cache" lighthouse@12 >/dev/null
port=8799
python3 -m http.server "$port" -d "$site" -b 127.0.0.1 >/dev/null 2>&1 &
server=$!
trap 'kill $server' EXIT
sleep 1
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
printf '| page | performance | accessibility | best practices | SEO |\n| --- | ---: | ---: | ---: | ---: |\n'
for path in "" sections/quantization/ "entries/${ENTRY:-tran-2024-bioinstruct}/" browse/ models/ datasets/ topics/domain/mental-health/ news/ contributing/; do
  out=$(mktemp)
  "$cache/node_modules/.bin/lighthouse" "http://127.0.0.1:$port/$path" --quiet --output=json --output-path="$out" \
    --only-categories=performance,accessibility,best-practices,seo --preset=desktop \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-background-networking" >/dev/null 2>&1 || true
  python3 - "$out" "/$path" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
scores = [round((report["categories"][c]["score"] or 0) * 100) for c in ("performance", "accessibility", "best-practices", "seo")]
print(f"| {sys.argv[2]} | " + " | ".join(map(str, scores)) + " |")
for cat in ("accessibility", "best-practices", "seo"):
    for ref in report["categories"][cat]["auditRefs"]:
        audit = report["audits"][ref["id"]]
        if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
            print(f"|   ↳ {cat}: {ref['id']} ({audit['title']}) | | | | |")
PY
  rm -f "$out"
done
