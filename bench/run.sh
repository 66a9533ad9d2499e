#!/usr/bin/env bash
# Builds facsimile-core, the plugin (for the cold scenario's whole mvn runs) and the bench through the
# reactor (nothing is installed into ~/.m2), then runs the benchmark. Arguments go to io.facsimile.bench.Bench, e.g.
#   bench/run.sh --runs 5 --scenarios render,rerender
# JAVA_OPTS is passed to the bench JVM (e.g. JAVA_OPTS=-XX:StartFlightRecording=filename=bench.jfr).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -ntp -q ${MVN_OFFLINE--o} package -pl bench,facsimile-maven-plugin -am -DskipTests -Dinvoker.skip
cp="$PWD/bench/target/classes:$(cat bench/target/bench.classpath)"
exec java ${JAVA_OPTS:-} -cp "$cp" io.facsimile.bench.Bench "$@"
