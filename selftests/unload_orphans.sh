#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# rmmod after the last user socket is closed succeeds even while the
# protocol still owns connections: orphans stuck in FIN-WAIT-1 (all
# segments lost) and TIME-WAIT entries. Unloading aborts and frees them;
# the kernel log must stay clean (vm-run checks it).
. "$(dirname "$0")/lib.sh"
require_root
require_ko

mytcp_loaded || mytcp_load || { fail "insmod"; exit $ret; }
ns_create mytcp-orph
modprobe sch_netem 2>/dev/null

# In the namespace: three connections; one closes cleanly (TIME-WAIT),
# then all segments are lost and two more are closed from both ends
# (FIN-WAIT-1 orphans retransmitting their FINs).
ip netns exec mytcp-orph python3 - <<'PY' || fail "set-up of orphans"
import socket, subprocess, sys
P = 253
ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM, P)
ls.bind(("127.0.0.1", 7100)); ls.listen(8)
pairs = []
for _ in range(3):
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM, P)
    c.settimeout(5)
    c.connect(("127.0.0.1", 7100))
    s, _ = ls.accept()
    pairs.append((c, s))
c, s = pairs.pop()
c.close(); s.recv(1); s.close()
subprocess.run(["tc", "qdisc", "add", "dev", "lo", "root", "netem",
                "loss", "100%"], check=True)
for c, s in pairs:
    c.sendall(b"x" * 1000)
    c.close(); s.close()
ls.close()
states = [l.split()[3] for l in open("/proc/net/mytcp").readlines()[1:]]
print("# states left:", " ".join(states))
sys.exit(0 if "04" in states and "06" in states else 1)
PY

check "rmmod succeeds with orphans and TIME-WAIT entries" mytcp_unload
check "module is gone" bash -c '! test -d /sys/module/mytcp'

ns_cleanup
mytcp_restore_loaded
exit $ret
