#!/usr/bin/env bash
# Paired A/B of two builds of the plugin on the unchanged re-render, measured as users run it: a whole
# `mvn facsimile:render` of the cold scenario's project, each followed by Maven's floor (`mvn -o validate`),
# the two builds swapped before each group, so that both meet the same phases of a noisy machine.
#
#   bench/ab-cold.sh <dir A> <dir B> [rounds]        (default 5 rounds, 3 pairs per build each)
#
# Each dir holds the plugin's jar (facsimile-maven-plugin-*.jar) and the pom it installs (plugin.pom:
# target/flattened-pom.xml of a build). Run `bench/run.sh --scenarios cold` once first: it generates the
# project and the bench's own repository (bench/target/work/cold). A pom that names a parent needs the
# parent and its imports in that repository; the first group of each build runs online (through the
# settings' file: repository of ~/.m2) to fetch them. Prints, per group, each render's seconds over the
# floor right after it, and at the end the median of each build. Nothing is asserted.
set -euo pipefail
[ $# -ge 2 ] || { sed -n '2,13p' "$0"; exit 2; }
cd "$(dirname "$0")/.."
work=bench/target/work/cold
[ -d "$work/project" ] || { echo "no $work/project: run bench/run.sh --scenarios cold first" >&2; exit 2; }
work=$(cd "$work" && pwd)
version=$(sed -n 's:.*<version>\(.*-SNAPSHOT\)</version>.*:\1:p' pom.xml | head -1)
repo="$work/repo/io/facsimile/facsimile-maven-plugin/$version"
goal="io.facsimile:facsimile-maven-plugin:$version:render"
rounds=${3:-5}
a=$(cd "$1" && pwd)
b=$(cd "$2" && pwd)
cd "$work/project"
seconds() { # whole mvn seconds of: args...
  local start end
  start=$(date +%s%N)
  mvn -B -ntp -q -s "$work/settings.xml" "$@" > /dev/null 2>&1 || { echo "mvn $* failed" >&2; exit 1; }
  end=$(date +%s%N)
  echo "scale=3; ($end - $start) / 1000000000" | bc
}
declare -A over
for r in $(seq "$rounds"); do
  for dir in "$a" "$b"; do
    cp "$dir"/facsimile-maven-plugin-*.jar "$repo/facsimile-maven-plugin-$version.jar"
    cp "$dir/plugin.pom" "$repo/facsimile-maven-plugin-$version.pom"
    seconds "$goal" > /dev/null # online: the new jar is a new input, and a pom's parent is fetched
    seconds -o "$goal" > /dev/null
    line=""
    for i in 1 2 3; do
      render=$(seconds -o "$goal")
      floor=$(seconds -o validate)
      ms=$(echo "($render - $floor) * 1000 / 1" | bc)
      over[$dir]="${over[$dir]:-} $ms"
      line="$line $ms"
    done
    echo "$(basename "$dir") round $r: ms over the floor:$line (floor $floor s, load $(cut -d' ' -f1 /proc/loadavg))"
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
for dir in "$a" "$b"; do
  echo "$(basename "$dir"): median $(echo "${over[$dir]}" | median) ms over the floor ($((rounds * 3)) pairs)"
done
