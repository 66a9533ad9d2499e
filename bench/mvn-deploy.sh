#!/usr/bin/env bash
# Benchmark, not a test: deploy as a user runs it. A generated project whose instance holds FILES files
# of 1-4 KiB in extra/ (copied verbatim into the release) is deployed by a whole, fresh
# `mvn facsimile:deploy` per step, over SSH to one real sshd on 127.0.0.1 and to a local directory;
# beside it, in the same run, `rsync -a --delete` of the same rendered tree, and Maven's floor
# (`mvn -o validate` of the same project, which runs no plugin). The headline is
# (whole mvn - floor) / rsync; the in-JVM figure the deploy itself prints is shown beside.
# With FLEET=<n> it also deploys to n sshd nodes at once (each in its own mount namespace, parallel: n),
# against n rsync run in parallel (xargs -P n) of the same tree, as issue 15's fleet target asks.
# Needs root (sshd with its own config, unshare -m for the fleet), /usr/sbin/sshd, rsync, and Maven.
#   bench/mvn-deploy.sh [files]                  (default 10000; from anywhere)
#   FLEET=20 SKIP_SINGLE=1 bench/mvn-deploy.sh 2000   (the fleet only)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/deploy-lib.sh
FILES=${1:-10000}
D=$(mktemp -d /tmp/facsimile-mvn-deploy.XXXXXX)
SSHD_PID=
FLEET_PIDS=()
# KEEP=1 keeps the project and its repository (e.g. to profile one step with MAVEN_OPTS=-XX:StartFlightRecording)
cleanup() {
  [ -n "$SSHD_PID" ] && kill "$SSHD_PID" 2>/dev/null || true
  for p in "${FLEET_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -n "${KEEP:-}" ] && echo "kept $D" || rm -rf "$D"
}
trap cleanup EXIT

# the plugin from this reactor, into a repository of the bench's own; everything else from ~/.m2.
# JARS=<dir> takes facsimile-core-*.jar, facsimile-maven-plugin-*.jar and the plugin's flattened-pom.xml
# from <dir> instead (e.g. a copy of an older build's target/ files, for an A/B run of two builds)
[ -n "${JARS:-}" ] || mvn -B -ntp -q ${MVN_OFFLINE--o} package -pl facsimile-maven-plugin -am -DskipTests -Dinvoker.skip
VERSION=$(sed -n 's:.*<version>\(.*-SNAPSHOT\)</version>.*:\1:p' pom.xml | head -1)
put() { # file artifactId extension
  local dir="$D/repo/io/facsimile/$2/$VERSION"
  mkdir -p "$dir" && cp "$1" "$dir/$2-$VERSION.$3"
}
put pom.xml facsimile-parent pom
for m in facsimile-core facsimile-maven-plugin; do
  # the plugin's jar carries its dependencies: its installed pom is the flattened one, which names no parent
  # and no dependency
  from=${JARS:-$m/target}
  pom="$from/flattened-pom.xml"; { [ $m = facsimile-maven-plugin ] && [ -f "$pom" ]; } || pom="$m/pom.xml"
  put "$pom" "$m" pom
  put "$from/$m-$VERSION.jar" "$m" jar
done

# one sshd on a free port of 127.0.0.1, and the login as the settings.xml <server> gives it
start_sshd
FLEET=${FLEET:-0}
FLEET_SPECS=
if [ "$FLEET" -gt 0 ]; then
  # n nodes: each sshd in its own mount namespace where $D/srv/shop is its own directory hosts/nI
  mkdir -p "$D/srv/shop"
  for i in $(seq 1 "$FLEET"); do
    n="$D/fleet/n$i"; mkdir -p "$n" "$D/hosts/n$i"
    ssh-keygen -q -t ecdsa -b 256 -N '' -f "$n/hostkey"
    port=$(free_port)
    # its own HOME, as a separate machine has: root's ~/.bashrc (run by bash for every SSH command) is not shared
    mkdir -p "$n/home"
    sed -e "s|^Port .*|Port $port|" -e "s|^HostKey .*|HostKey $n/hostkey|" -e "s|^PidFile .*|PidFile $n/sshd.pid|" \
      "$D/sshd_config" > "$n/sshd_config"
    sed -i "s|^SetEnv HOME=.*|SetEnv HOME=$n/home|" "$n/sshd_config"
    unshare -m sh -c "mount --bind '$D/hosts/n$i' '$D/srv/shop' && exec /usr/sbin/sshd -D -f '$n/sshd_config' -E '$n/sshd.log'" &
    FLEET_PIDS+=($!)
    echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$n/hostkey.pub")" >> "$D/known_hosts"
    echo "$port" >> "$D/fleet/ports"
    FLEET_SPECS="$FLEET_SPECS\"127.0.0.1:$port\", "
  done
  for port in $(cat "$D/fleet/ports"); do await_port "$port"; done
fi
M2=$(cd ~/.m2/repository && pwd)
cat > "$D/settings.xml" <<XML
<settings>
  <localRepository>$D/repo</localRepository>
  <servers><server><id>facsimile.ssh</id><username>root</username><privateKey>$D/userkey</privateKey></server></servers>
  <profiles><profile><id>m2</id><activation><activeByDefault>true</activeByDefault></activation>
    <repositories><repository><id>m2</id><url>file://$M2</url></repository></repositories>
    <pluginRepositories><pluginRepository><id>m2</id><url>file://$M2</url></pluginRepository></pluginRepositories>
  </profile></profiles>
</settings>
XML

# the project: instance "ssh" deploys to the sshd, instance "local" to a directory; FILES files in extra/
P="$D/project"
mkdir -p "$P/src/main/facsimile"
cat > "$P/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>io.facsimile.bench</groupId>
  <artifactId>mvn-deploy</artifactId>
  <version>1.0</version>
  <packaging>pom</packaging>
  <build><plugins><plugin>
    <groupId>io.facsimile</groupId><artifactId>facsimile-maven-plugin</artifactId><version>$VERSION</version>
  </plugin></plugins></build>
</project>
POM
cat > "$P/src/main/facsimile/ssh.yaml" <<YAML
deploy:
  home: $D/facsimile-ssh
  server: facsimile.ssh
  nodes:
    app: ["127.0.0.1:$PORT"]
YAML
cat > "$P/src/main/facsimile/local.yaml" <<YAML
deploy:
  home: $D/facsimile-local
YAML
if [ "$FLEET" -gt 0 ]; then
  cat > "$P/src/main/facsimile/fleet.yaml" <<YAML
deploy:
  home: $D/srv/shop
  server: facsimile.ssh
  parallel: $FLEET
  nodes:
    web: [${FLEET_SPECS%, }]
YAML
fi
make_tree "$P/src/main/facsimile/extra/_ALL_/_DEPLOY_" "$FILES"
CHANGED="$P/src/main/facsimile/extra/_ALL_/_DEPLOY_/d007/f00007.dat"
# a user's sources are older than the 2 s within which a listing records a file's content, not its
# time (the racy rule): without this the untimed render recorded none of the freshly made tree
sleep 2

now() { date +%s.%N; }
mvn_run() { # offline? goal args...
  local offline=$1; shift
  (cd "$P" && mvn -B -ntp $offline -s "$D/settings.xml" -Dfacsimile.knownHosts="$D/known_hosts" "$@")
}
# untimed, online against the file repository: fills the bench's repository; renders both instances
mvn_run "" -q validate >/dev/null
mvn_run "" -q facsimile:render -Dinstance=ssh >/dev/null
mvn_run "" -q facsimile:render -Dinstance=local >/dev/null
if [ "$FLEET" -gt 0 ]; then mvn_run "" -q facsimile:render -Dinstance=fleet >/dev/null; fi
echo "tree: $(find "$P/target/facsimile/ssh/_DEPLOY_" -type f | wc -l) files, $(du -sb "$P/target/facsimile/ssh/_DEPLOY_" | cut -f1) bytes"

# CPU seconds of every process on the machine so far (user, nice, system, irq, softirq, steal): the nodes'
# sshd and their programs run here too, so this is what a step costs the machine, less noisy than its wall time
TICK=$(getconf CLK_TCK)
cpu() { awk -v t="$TICK" '/^cpu /{printf "%.2f", ($2 + $3 + $4 + $7 + $8 + $9) / t}' /proc/stat; }
floor() { # goal: the best wall time of 3; their least CPU goes to $D/floor-cpu (floor runs in a subshell)
  local start end c0 best= least=
  for _ in 1 2 3; do
    c0=$(cpu); start=$(now); mvn_run -o -q "$1" >/dev/null; end=$(now)
    best=$(echo "$end - $start" | bc | awk -v b="$best" '{print (b == "" || $1 < b) ? $1 : b}')
    least=$(echo "$(cpu) - $c0" | bc | awk -v b="$least" '{print (b == "" || $1 < b) ? $1 : b}')
  done
  echo "$least" > "$D/floor-cpu"
  echo "$best"
}
NOCHANGE_RSYNC=()
plugin_start() { # the plugin's own start over the floor, against each transport's unchanged rsync
  local net; net=$(echo "$PLUGIN - $FLOOR" | bc)
  printf '%s\n%s\n%s\n' "The plugin's own start, before any work (best of 3 whole \`mvn -o facsimile:help\`: Maven loads the" \
    "$(printf "plugin, configures and runs its smallest goal): %.2f s, %.2f s over the floor; an unchanged" "$PLUGIN" "$net")" \
    "deploy cannot take less. rsync's whole unchanged run in this run:"
  local r
  for r in "${NOCHANGE_RSYNC[@]}"; do
    set -- $r
    printf '  %s: rsync %.2f s; the plugin'"'"'s start alone is %.1f x that\n' "$1" "$2" "$(echo "$net / $2" | bc -l)"
  done
}
facsimile() { # instance
  local start end out c0
  c0=$(cpu)
  start=$(now)
  # JFR_DIR=<dir> records each deploy with JFR (<dir>/<instance>-<n>.jfr); the recording costs a little time
  local opts=${MAVEN_OPTS:-}
  if [ -n "${JFR_DIR:-}" ]; then
    JFR_N=$((${JFR_N:-0} + 1))
    opts="$opts -XX:StartFlightRecording=settings=profile,filename=$JFR_DIR/$1-$JFR_N.jfr"
  fi
  out=$(MAVEN_OPTS="$opts" mvn_run -o facsimile:deploy -Dinstance="$1" 2>&1) || { echo "$out" >&2; exit 1; }
  end=$(now)
  F_CPU=$(echo "$(cpu) - $c0" | bc)
  printf '== %s\n%s\n' "$1" "$out" >> "$D/steps.log"   # kept with KEEP=1
  F_WALL=$(echo "$end - $start" | bc)
  # the node's line: "<node>: deployed <release>, <n> files, <n> bytes sent, <seconds> s"
  F_LINE=$(echo "$out" | grep -E ": [a-z-]+ .*, [0-9]+ files, [0-9]+ bytes sent, [0-9.]+ s" | tail -1 | sed 's/^\[INFO\] //')
  # the slowest node's own figure (one node, or the fleet's last to finish)
  F_JVM=$(echo "$out" | sed -n 's/.*: [a-z-]* .*, [0-9]* files, [0-9]* bytes sent, \([0-9.]*\) s.*/\1/p' | sort -n | tail -1)
  if [ "$1" = fleet ]; then
    F_LINE="$(echo "$out" | grep -cE ": (deployed|unchanged) .* bytes sent" || true) nodes ok"
  fi
}
rsync_run() { # ssh|local
  local start end c0
  c0=$(cpu)
  start=$(now)
  if [ "$1" = fleet ]; then
    xargs -P "$FLEET" -I{} rsync -a --delete -e "ssh -p {} -i $D/userkey -o UserKnownHostsFile=$D/known_hosts -o BatchMode=yes" \
      "$P/target/facsimile/fleet/_DEPLOY_/" "root@127.0.0.1:$D/srv/shop/rsync/" < "$D/fleet/ports"
  elif [ "$1" = ssh ]; then
    rsync -a --delete -e "ssh -p $PORT -i $D/userkey -o UserKnownHostsFile=$D/known_hosts -o BatchMode=yes" \
      "$P/target/facsimile/ssh/_DEPLOY_/" "root@127.0.0.1:$D/rsync-ssh/"
  else
    rsync -a --delete "$P/target/facsimile/local/_DEPLOY_/" "$D/rsync-local/"
  fi
  end=$(now)
  R_CPU=$(echo "$(cpu) - $c0" | bc)
  R_WALL=$(echo "$end - $start" | bc)
}
ROWS=()
step() { # transport step
  facsimile "$1"; rsync_run "$1"
  local net; net=$(echo "$F_WALL - $FLOOR" | bc)
  echo "  $1 / $2: mvn ${F_WALL} s (minus floor ${net} s), in-JVM ${F_JVM:-?} s, rsync ${R_WALL} s;" \
    "CPU of all processes ${F_CPU} s against ${R_CPU} s — $F_LINE"
  ROWS+=("$(printf '| %s | %s | %.2f | %.2f | %s | %.2f | %.1f | %.1f / %.1f |' "$1" "$2" "$F_WALL" "$net" "${F_JVM:-?}" \
    "$R_WALL" "$(echo "$net / $R_WALL" | bc -l)" "$F_CPU" "$R_CPU")")
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
FLOOR=$(floor validate)
echo "Maven's floor (best of 3 whole \`mvn -o validate\`): $FLOOR s, CPU of all processes at least $(cat "$D/floor-cpu") s"
PLUGIN=$(floor facsimile:help)
MODES="ssh local"
if [ -n "${SKIP_SINGLE:-}" ]; then MODES=; fi
if [ "$FLEET" -gt 0 ]; then MODES="$MODES fleet"; fi
for mode in $MODES; do
  # the first deploy deploys a rendered tree: the steps of the transport before changed the shared file,
  # so this instance is rendered again first, untimed (as the project was at the start)
  mvn_run -o -q facsimile:render -Dinstance="$mode" >/dev/null
  step $mode "first deploy"
  step $mode "no change"
  NOCHANGE_RSYNC+=("$mode $R_WALL")
  # the second no-op in a row takes the record the first left (.unchanged-run: one find instead of listing)
  step $mode "no change, again"
  head -c 2048 /dev/urandom > "$CHANGED"   # the deploy renders it, as a user's run does; rsync syncs the result
  step $mode "one file changed"
  # a home that has been deployed to for a while: keep (5) releases are there, so the next deploy recycles
  # the one due for pruning instead of copying 10,000 files and pruning 10,000 (untimed deploys fill it)
  for _ in 1 2 3; do
    head -c 2048 /dev/urandom > "$CHANGED"
    mvn_run -o -q facsimile:deploy -Dinstance="$mode" >/dev/null
  done
  head -c 2048 /dev/urandom > "$CHANGED"
  step $mode "one file changed, keep (5) releases there"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| transport | step | whole \`mvn facsimile:deploy\` s | minus Maven's floor s | in-JVM s (the node's line) | rsync -a --delete s | ratio (minus floor) / rsync | CPU s of all processes, Facsimile / rsync |"
echo "|---|---|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${ROWS[@]}"
echo
plugin_start
