#!/usr/bin/env bash
# Makes sure PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379) answer, starting them when
# they are installed but stopped. Fails with a clear message when either cannot be reached.
set -uo pipefail
reachable() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_for() {
  for _ in $(seq 1 30); do reachable "$1" && return 0; sleep 1; done
  return 1
}
if ! reachable 5432 && command -v pg_ctlcluster >/dev/null; then
  version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
  [ -n "$version" ] && pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
fi
if ! reachable 6379 && command -v redis-server >/dev/null; then
  mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
fi
status=0
wait_for 5432 || { echo "PostgreSQL is not reachable on 127.0.0.1:5432 (install postgresql, or start it)." >&2; status=1; }
wait_for 6379 || { echo "Redis is not reachable on 127.0.0.1:6379 (install redis-server, or start it)." >&2; status=1; }
exit $status
