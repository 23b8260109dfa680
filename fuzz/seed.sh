#!/usr/bin/env bash
# Fill fuzz/corpus/<target>/ with seeds: the standards' conformance documents and the real
# SBOMs in ../shared, and the project's own demo bids, tender and policies. The seeds are
# copies of public data and stay out of git (fuzz/.gitignore).
set -euo pipefail
cd "$(dirname "$0")"
shared=../../shared
if [ ! -d "$shared" ]; then echo "no ../shared beside the project: seeds from the project only" >&2; fi
seed() { # seed TARGET FILE...
    local dir="corpus/$1"; shift
    mkdir -p "$dir"
    for f in "$@"; do
        [ -f "$f" ] || continue
        # Keep the fuzzer fast: skip seeds over 1 MiB.
        [ "$(wc -c <"$f")" -le 1048576 ] || continue
        cp "$f" "$dir/$(sha1sum "$f" | cut -c1-16)"
    done
}
find_in() { [ -d "$1" ] && find "$1" -type f -name "$2" || true; }
mapfile -t cdxj < <(find_in "$shared/conformance/cyclonedx" '*.json'; find_in "$shared/corpus" '*.cdx.json'; find_in "$shared/corpus/cyclonedx" '*.json')
mapfile -t cdxx < <(find_in "$shared/conformance/cyclonedx" '*.xml'; find_in "$shared/corpus" '*.xml')
mapfile -t spdxj < <(find_in "$shared/conformance/spdx" '*.json'; find_in "$shared/corpus/trustify/spdx" '*.json')
mapfile -t spdxt < <(find_in "$shared/conformance/spdx" '*.spdx')
mapfile -t bids < <(find ../demo ../tests/fixtures -name "*.toml" ! -name tender.toml ! -name Cargo.toml)
seed cyclonedx_json "${cdxj[@]}"
seed cyclonedx_xml "${cdxx[@]}"
seed spdx_json "${spdxj[@]}"
seed spdx_tag_value "${spdxt[@]}"
seed spdx3_json $(find_in "$shared/conformance/spdx/3.0" "*.json")
seed manifest "${bids[@]}"
seed tender ../demo/tender.toml
seed policy ../policies/*.toml
seed pipeline "${cdxj[@]}" "${cdxx[@]}" "${spdxj[@]}" "${spdxt[@]}" "${bids[@]}"
# The decompressor gets small compressed documents.
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for f in ../demo/tender.toml "${bids[@]:0:3}"; do
    n=$(basename "$f")
    gzip -c "$f" >"$tmp/$n.gz"
    if command -v xz >/dev/null; then xz -c "$f" >"$tmp/$n.xz"; fi
    if command -v zstd >/dev/null; then zstd -q -c "$f" >"$tmp/$n.zst"; fi
    gzip -c "$tmp/$n.gz" >"$tmp/$n.gz.gz"
done
seed decompress "$tmp"/*
for d in corpus/*; do echo "$d: $(ls "$d" | wc -l) seeds"; done
