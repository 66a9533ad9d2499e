# Sourced by the deploy benchmarks: make_tree, and one OpenSSH sshd on a free port of 127.0.0.1 with generated host
# and user keys, in directory $D. Sets PORT and SSHD_PID, writes $D/known_hosts, $D/userkey and
# $D/sshd_config (which start_node reuses for more nodes).
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
await_port() { for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return; sleep 0.1; done; }
start_sshd() {
  ssh-keygen -q -t ecdsa -b 256 -N '' -f "$D/hostkey"
  ssh-keygen -q -t ecdsa -b 256 -N '' -f "$D/userkey" && cp "$D/userkey.pub" "$D/authorized_keys"
  PORT=$(free_port)
  { cat <<CFG
Port $PORT
ListenAddress 127.0.0.1
HostKey $D/hostkey
PidFile $D/sshd.pid
AuthorizedKeysFile $D/authorized_keys
CFG
    # the options the ITs' sshd has too, from one file
    cat src/it/_shared/sshd-options.conf
    echo "SetEnv HOME=$D/node-home"
  } > "$D/sshd_config"
  # the node's commands get a HOME of their own: root's ~/.bashrc here runs pyenv on every SSH command
  mkdir -p "$D/node-home"
  mkdir -p /run/sshd
  /usr/sbin/sshd -D -f "$D/sshd_config" -E "$D/sshd.log" &
  SSHD_PID=$!
  await_port "$PORT"
  echo "[127.0.0.1]:$PORT $(cut -d' ' -f1,2 "$D/hostkey.pub")" > "$D/known_hosts"
}

# make_tree DIR N: N files of 1-4 KiB of random data (seeded, so every run has the same tree) in 100 directories
make_tree() {
  python3 - "$1" "$2" <<'PY'
import os, random, sys
root, n = sys.argv[1], int(sys.argv[2])
rnd = random.Random(42)
for i in range(n):
    d = os.path.join(root, "d%03d" % (i % 100))
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "f%05d.dat" % i), "wb") as f:
        f.write(rnd.randbytes(rnd.randint(1024, 4096)))
PY
}
