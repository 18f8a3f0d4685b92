#!/usr/bin/env bash
# Rebuilds the natural-photo training set (OUT/train, OUT/val) from Debian packages, exactly as
# listed in manifest.tsv beside this script (rows whose decision is "train" or "val").
#
#   ltrp-models/recipe/photos/fetch-photos.sh OUT [MANIFEST]
#
# For each package that has an accepted photo: `apt-get download PKG=VERSION` (the manifest's
# version; if apt no longer offers it, the candidate version, with a warning), `dpkg-deb -x` into
# a scratch folder, then copy each accepted file to OUT/<train|val>/<out_name>. No dependencies
# are installed and nothing is installed system-wide. Needs apt-get (after `apt-get update`),
# dpkg-deb, sha256sum and awk. Downloads about 950 MB (43 packages; stellarium-data and
# texlive-pictures-doc are 235 and 223 MB), kept in OUT/.cache/debs (or $PHOTOS_CACHE) so that a
# second run downloads nothing; about 5 minutes on a 2-core machine.
#
# Idempotent: a photo already present with the manifest's sha256 is left alone; a package all of
# whose photos are present is not downloaded again; files in OUT/train and OUT/val that the
# manifest does not list are removed. Fails if an accepted file is missing from its package.
# Training: `bin/ltrp pretrain --images OUT/train ...` (dot-folders such as OUT/.cache are skipped).
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 ]]; then
  echo "usage: $0 OUT [MANIFEST]" >&2
  exit 2
fi
out=$1
manifest=${2:-"$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/manifest.tsv"}
[[ -f "$manifest" ]] || { echo "no manifest: $manifest" >&2; exit 1; }
for tool in apt-get dpkg-deb sha256sum awk; do
  command -v "$tool" >/dev/null || { echo "missing tool: $tool" >&2; exit 1; }
done

mkdir -p "$out/train" "$out/val"
out=$(cd "$out" && pwd)
cache=${PHOTOS_CACHE:-"$out/.cache"}
mkdir -p "$cache/debs"
cache=$(cd "$cache" && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# Accepted rows: package version path decision sha256 out_name (tab-separated).
awk -F'\t' 'NR == 1 {
    if ($1 != "package" || $4 != "path" || $7 != "decision" || $10 != "sha256" || $11 != "out_name") {
      print "unexpected manifest header" > "/dev/stderr"; exit 1 }
    next }
  $7 == "train" || $7 == "val" { print $1 "\t" $2 "\t" $4 "\t" $7 "\t" $10 "\t" $11 }' \
  "$manifest" > "$scratch/accepted.tsv"
total=$(wc -l < "$scratch/accepted.tsv")
[[ "$total" -gt 0 ]] || { echo "no accepted rows in $manifest" >&2; exit 1; }

# sha256 of a file, or nothing when it does not exist.
sum_of() { [[ -f "$1" ]] && sha256sum "$1" | cut -d' ' -f1 || true; }

# Downloads PKG (pinned to VERSION if apt has it) into the cache; prints the .deb's path.
fetch_deb() {
  local pkg=$1 ver=$2 deb
  deb=$(find "$cache/debs" -maxdepth 1 -name "${pkg}_*.deb" -print | while read -r f; do
          [[ "$(dpkg-deb -f "$f" Package)" == "$pkg" && "$(dpkg-deb -f "$f" Version)" == "$ver" ]] \
            && echo "$f"; done | head -n 1)
  if [[ -z "$deb" ]]; then
    if ! (cd "$cache/debs" && apt-get download -q "$pkg=$ver" >&2); then
      echo "WARNING: $pkg=$ver is not available from apt; downloading its current version" >&2
      (cd "$cache/debs" && apt-get download -q "$pkg" >&2)
    fi
    deb=$(ls -t "$cache/debs/${pkg}"_*.deb | head -n 1)
  fi
  local got
  got=$(dpkg-deb -f "$deb" Version)
  if [[ "$got" != "$ver" ]]; then
    echo "WARNING: $pkg: manifest lists version $ver, using $got (photos are checked by sha256)" >&2
  fi
  echo "$deb"
}

errors=0
copied=0
kept=0
for pkg in $(cut -f1 "$scratch/accepted.tsv" | sort -u); do
  awk -F'\t' -v p="$pkg" '$1 == p' "$scratch/accepted.tsv" > "$scratch/rows.tsv"
  ver=$(cut -f2 "$scratch/rows.tsv" | sort -u)
  [[ $(wc -l <<< "$ver") -eq 1 ]] || { echo "$pkg: several versions in the manifest" >&2; exit 1; }
  missing=0
  while IFS=$'\t' read -r _ _ _ split sum name; do
    [[ "$(sum_of "$out/$split/$name")" == "$sum" ]] || missing=$((missing + 1))
  done < "$scratch/rows.tsv"
  if [[ $missing -eq 0 ]]; then
    kept=$((kept + $(wc -l < "$scratch/rows.tsv")))
    continue
  fi
  deb=$(fetch_deb "$pkg" "$ver")
  tree="$scratch/x/$pkg"
  rm -rf "$tree"
  mkdir -p "$tree"
  dpkg-deb -x "$deb" "$tree"
  while IFS=$'\t' read -r _ _ path split sum name; do
    src="$tree$path"
    dst="$out/$split/$name"
    other="$out/$([[ $split == train ]] && echo val || echo train)/$name"
    rm -f "$other"
    if [[ ! -f "$src" ]]; then
      echo "ERROR: $pkg: $path is not in the package" >&2
      errors=$((errors + 1))
      continue
    fi
    if [[ "$(sum_of "$dst")" == "$sum" ]]; then
      kept=$((kept + 1))
      continue
    fi
    got=$(sum_of "$src")
    if [[ "$got" != "$sum" ]]; then
      echo "WARNING: $pkg: $path differs from the manifest's sha256 (package version changed?)" >&2
    fi
    cp -f "$src" "$dst"
    chmod 0644 "$dst"
    copied=$((copied + 1))
  done < "$scratch/rows.tsv"
  rm -rf "$tree"
done

# Remove files that the manifest does not list (e.g. left by an older manifest).
removed=0
for split in train val; do
  awk -F'\t' -v s="$split" '$4 == s { print $6 }' "$scratch/accepted.tsv" | sort > "$scratch/want"
  (cd "$out/$split" && find . -mindepth 1 -maxdepth 1 -printf '%P\n' | sort) > "$scratch/have"
  while IFS= read -r extra; do
    [[ -n "$extra" ]] || continue
    echo "removing $split/$extra (not in the manifest)" >&2
    rm -rf -- "${out:?}/$split/$extra"
    removed=$((removed + 1))
  done < <(comm -13 "$scratch/want" "$scratch/have")
done

if [[ $errors -gt 0 ]]; then
  echo "$errors accepted file(s) missing; $out is incomplete" >&2
  exit 1
fi
echo "$out: $(find "$out/train" -type f | wc -l) train + $(find "$out/val" -type f | wc -l) val" \
  "photos ($copied copied, $kept already present, $removed removed)" >&2
