#!/bin/bash
# A real systemd user manager for one test, confined so that it can touch nothing of the machine:
#   user-manager.sh <cgroup name> <XDG_RUNTIME_DIR> <HOME>
# Run as root. A cgroup of its own is made (in the name=systemd and unified hierarchies of a hybrid
# layout, or under the unified root of a cgroup2-only one) and this shell moves into it; then, in a
# new cgroup and mount namespace, the hierarchies are mounted again rooted at that cgroup (no
# controller hierarchy at all), /run/systemd/system is made on a private tmpfs (the manager asks
# whether the machine was booted with systemd), and the manager is exec'd: this process is it.
# Started as the root of a machine's cgroups, `systemd --user` would move every process of the
# machine into its init.scope; confined, it sees only its own cgroup. The caller removes the
# cgroup (`rmdir`, deepest first) once the manager has exited.
set -euo pipefail
name=$1 runtime=$2 home=$3
case "$name" in crosstalk-test-*) ;; *) echo "refusing cgroup name $name" >&2; exit 2 ;; esac
if [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; then
  mkdir /sys/fs/cgroup/"$name"
  echo $$ > /sys/fs/cgroup/"$name"/cgroup.procs
  mounts='mount -t cgroup2 cgroup2 /sys/fs/cgroup'
elif [ "$(stat -fc %T /sys/fs/cgroup/unified 2>/dev/null)" = cgroup2fs ] && [ -e /sys/fs/cgroup/systemd/cgroup.procs ]; then
  mkdir /sys/fs/cgroup/systemd/"$name" /sys/fs/cgroup/unified/"$name"
  echo $$ > /sys/fs/cgroup/systemd/"$name"/cgroup.procs
  echo $$ > /sys/fs/cgroup/unified/"$name"/cgroup.procs
  mounts='mount -t tmpfs -o mode=755 tmpfs /sys/fs/cgroup && mkdir /sys/fs/cgroup/systemd /sys/fs/cgroup/unified && mount -t cgroup -o none,name=systemd cgroup /sys/fs/cgroup/systemd && mount -t cgroup2 cgroup2 /sys/fs/cgroup/unified'
else
  echo "no cgroup layout this script knows" >&2
  exit 2
fi
mkdir -p "$runtime" && chmod 700 "$runtime"
export XDG_RUNTIME_DIR=$runtime HOME=$home MOUNTS=$mounts
exec unshare --cgroup --mount --propagation private bash -c '
  set -e
  eval "$MOUNTS"
  mkdir -p /run/systemd
  mount -t tmpfs tmpfs /run/systemd
  mkdir /run/systemd/system
  unset MOUNTS
  exec /usr/bin/systemd --user --log-level=info --log-target=console
'
