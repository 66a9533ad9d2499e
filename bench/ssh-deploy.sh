#!/usr/bin/env bash
# Benchmark, not a test: deploys a 10,000-file tree to one real sshd on 127.0.0.1 with Facsimile's
# SSH transport, then redeploys after changing one file, next to rsync -a --delete -e ssh of the same
# tree to the same sshd, in one run. Prints wall-clock seconds and bytes sent. Needs root (sshd
# with its own config), /usr/sbin/sshd, rsync, and the reactor compiled:
#   mvn -B -ntp -o -q test-compile -pl facsimile-core      (from the repository root)
#   bench/ssh-deploy.sh [files]                               (default 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/deploy-lib.sh
FILES=${1:-10000}
D=$(mktemp -d /tmp/facsimile-bench.XXXXXX)
SSHD_PID=
cleanup() { [ -n "$SSHD_PID" ] && kill "$SSHD_PID" 2>/dev/null; rm -rf "$D"; }
trap cleanup EXIT

# classpath of the core, test classes included (SshDeployBench lives there)
mvn -B -ntp -o -q dependency:build-classpath -pl facsimile-core -Dmdep.outputFile="$D/cp.txt" >/dev/null
CP="facsimile-core/target/classes:facsimile-core/target/test-classes:$(cat "$D/cp.txt")"

# the tree: 100 directories of FILES/100 files, 1-4 KiB of random data each
make_tree "$D/tree/_DEPLOY_" "$FILES"
TREE="$D/tree/_DEPLOY_"
echo "tree: $(find "$TREE" -type f | wc -l) files, $(du -sb "$TREE" | cut -f1) bytes"

# one sshd on a free port of 127.0.0.1
start_sshd

now() { date +%s.%N; }
# a fresh JVM per step: the wall time of the whole process, and the figure the deploy prints from inside it
facsimile() { # port-or-local home label
  local start end line
  start=$(now)
  line=$(java -cp "$CP" io.facsimile.core.deploy.ssh.SshDeployBench "$TREE" "$2" "$1" "$D/userkey" "$D/known_hosts" "$3" \
    2> >(grep -v "^SLF4J" >&2))
  end=$(now)
  F_WALL=$(echo "$end - $start" | bc)
  F_JVM=$(echo "$line" | awk '{for (i = 1; i < NF; i++) if ($(i+1) == "s") {print $i; exit}}')
  echo "$line"
}
rsync_run() { # ssh|local label
  local start end sent
  start=$(now)
  if [ "$1" = ssh ]; then
    sent=$(rsync -a --delete --stats -e "ssh -p $PORT -i $D/userkey -o UserKnownHostsFile=$D/known_hosts -o BatchMode=yes" \
      "$TREE/" "root@127.0.0.1:$D/rsync-home/" | awk -F': ' '/Total bytes sent/ {gsub(",", "", $2); print $2}')
  else
    sent=$(rsync -a --delete --stats "$TREE/" "$D/rsync-local/" | awk -F': ' '/Total bytes sent/ {gsub(",", "", $2); print $2}')
  fi
  end=$(now)
  R_WALL=$(echo "$end - $start" | bc)
  printf '%-34s %8.2f s %7s       %12s bytes  (rsync: total bytes sent, protocol included)\n' "$2" "$R_WALL" "" "$sent"
}
# the JVM's own start, taken off the whole-process figure (as Maven's start would be)
floor() {
  local start end
  start=$(now); java -cp "$CP" -version 2>/dev/null; end=$(now)
  echo "$end - $start" | bc
}
ROWS=()
row() { # transport step
  local net
  net=$(echo "$F_WALL - $FLOOR" | bc)
  ROWS+=("$(printf '| %s | %s | %.2f | %.2f | %.2f | %.2f | %.1f |' "$1" "$2" "$F_WALL" "$net" "$F_JVM" "$R_WALL" \
    "$(echo "$net / $R_WALL" | bc -l)")")
}

FLOOR=$(floor)
echo "JVM start (java -version, same classpath): $FLOOR s; load: $(cut -d' ' -f1-3 /proc/loadavg)"
for mode in ssh local; do
  target=$([ $mode = ssh ] && echo "$PORT" || echo local)
  fhome="$D/facsimile-$mode"

  echo "--- $mode: first deploy of the whole tree"
  facsimile "$target" "$fhome" "facsimile $mode: first deploy"; rsync_run $mode "rsync $mode: first sync"; row $mode "first deploy"
  echo "--- $mode: redeploy, nothing changed"
  facsimile "$target" "$fhome" "facsimile $mode: no change"; rsync_run $mode "rsync $mode: no change"; row $mode "no change"
  echo "--- $mode: redeploy after changing one file"
  head -c 2048 /dev/urandom > "$TREE/d007/f00007.dat"
  facsimile "$target" "$fhome" "facsimile $mode: one file changed"; rsync_run $mode "rsync $mode: one file changed"
  row $mode "one file changed"
done
echo
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| transport | step | Facsimile whole JVM s | minus JVM start s | in-JVM s | rsync -a --delete s | ratio (minus start) / rsync |"
echo "|---|---|---:|---:|---:|---:|---:|"
printf '%s\n' "${ROWS[@]}"
