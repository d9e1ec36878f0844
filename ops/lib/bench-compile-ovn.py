#!/usr/bin/env python3
"""The OVN side of `tenet bench compile`: OVN 23.03's ovn-northd on the topology Tenet compiles.

    bench-compile-ovn.py --ports N --chassis C [--increments R] [--seed S]

Starts a private OVN central (NB and SB ovsdb-servers, ovn-northd) in a temporary directory,
registers C chassis in the SB (Chassis + Geneve Encap rows, as ovn-controller would), pauses
northd, loads N/40 tenants of 1 router and 4 switches of 10 VIF ports into the NB (the names,
MACs and addresses of ops/src/main/java/tenet/ops/bench/CompileTopology.java; port security on
and requested-chassis set, as Tenet's ports are secured and bound), then measures:
  - converge: from `ovn-appctl pause` undone to NB_Global.sb_cfg reaching the nb_cfg bumped
    while paused, i.e. `ovn-nbctl --wait=sb sync` after a bulk load: every logical flow in the SB;
  - incremental: R times one more VIF port on a random switch, in one transaction with the
    nb_cfg bump, until sb_cfg catches up: `ovn-nbctl --wait=sb lsp-add ... -- lsp-set-addresses`.
No ovn-controller runs: these are northd's logical flows, not any chassis' OpenFlow.

The NB and SB are written with raw OVSDB JSON-RPC (ovn-nbctl would take hours to load 100000
ports one command at a time). Progress goes to stderr, one JSON line to stdout. Every process
started here is stopped by its PID and the directory removed, on success, failure or signal.
"""
import argparse
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

SWITCHES, PORTS_PER_SWITCH = 4, 10
PORTS_PER_TENANT = SWITCHES * PORTS_PER_SWITCH
TENANTS_PER_TXN = 100
T0 = time.monotonic()


def log(message):
    print(f"[ovn   {time.monotonic() - T0:6.1f}s] {message}", file=sys.stderr, flush=True)


# The same names and numbers as CompileTopology.java.
def subnet(t, s):
    return f"10.{t // 64}.{(t % 64) * SWITCHES + s}"


def mac(n):
    return "0a:%02x:%02x:%02x:%02x:%02x" % ((n >> 32) & 255, (n >> 24) & 255, (n >> 16) & 255, (n >> 8) & 255, n & 255)


def tunnel_ip(c):
    return f"100.{64 + c // (254 * 254)}.{c // 254 % 254 + 1}.{c % 254 + 1}"


def vif(name, mac_, ip, chassis):
    return {"name": name, "addresses": f"{mac_} {ip}", "port_security": f"{mac_} {ip}",
            "options": ["map", [["requested-chassis", f"hv{chassis}"]]]}


class Ovsdb:
    """Just enough of an OVSDB JSON-RPC client: transact, answering the server's echoes."""

    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.connect(path)
        self.decoder = json.JSONDecoder()
        self.buf = ""
        self.next_id = 0

    def transact(self, db, ops):
        self.next_id += 1
        self.sock.sendall(json.dumps({"method": "transact", "params": [db] + ops, "id": self.next_id}).encode())
        while True:
            msg = self._read()
            if msg.get("method") == "echo":
                self.sock.sendall(json.dumps({"result": msg["params"], "id": msg["id"]}).encode())
            elif msg.get("id") == self.next_id:
                if msg.get("error"):
                    raise RuntimeError(f"{db}: {msg['error']}")
                errors = [r for r in msg["result"] if r and "error" in r]
                if errors:
                    raise RuntimeError(f"{db}: {errors[:3]}")
                return msg["result"]

    def _read(self):
        while True:
            text = self.buf.lstrip()
            # A message ends with "}": parsing only then keeps a reply of many megabytes from
            # being parsed again after every chunk of it.
            if text.endswith("}"):
                try:
                    msg, end = self.decoder.raw_decode(text)
                    self.buf = text[end:]
                    return msg
                except ValueError:
                    pass
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                raise RuntimeError("ovsdb-server closed the connection")
            self.buf += chunk.decode()


class Central:
    """NB and SB ovsdb-servers and ovn-northd in one directory, each stopped by its PID."""

    def __init__(self, root):
        self.root = root
        self.procs = {}

    def start(self):
        for db, schema in (("nb", "ovn-nb"), ("sb", "ovn-sb")):
            subprocess.run(["ovsdb-tool", "create", f"{self.root}/{db}.db", f"/usr/share/ovn/{schema}.ovsschema"],
                           check=True, stdout=subprocess.DEVNULL)
            self._spawn(db, ["ovsdb-server", f"{self.root}/{db}.db", f"--remote=punix:{self.root}/{db}.sock",
                             f"--unixctl={self.root}/{db}.ctl", f"--log-file={self.root}/{db}.log", "-vconsole:off"])
        self.nb = Ovsdb(self._await_socket("nb"))
        self.sb = Ovsdb(self._await_socket("sb"))
        self.nb.transact("OVN_Northbound", [{"op": "insert", "table": "NB_Global", "row": {}}])
        self.sb.transact("OVN_Southbound", [{"op": "insert", "table": "SB_Global", "row": {}}])
        self._spawn("northd", ["ovn-northd", f"--ovnnb-db=unix:{self.root}/nb.sock",
                               f"--ovnsb-db=unix:{self.root}/sb.sock", f"--unixctl={self.root}/northd.ctl",
                               f"--log-file={self.root}/northd.log", "-vconsole:off"])
        self.wait_for(self.bump(), timeout_s=60)

    def _spawn(self, name, command):
        self.procs[name] = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                            stderr=open(f"{self.root}/{name}.stderr", "w"))

    def _await_socket(self, db):
        path = f"{self.root}/{db}.sock"
        deadline = time.monotonic() + 30
        while not os.path.exists(path):
            if self.procs[db].poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{db} ovsdb-server did not start; see {self.root}/{db}.log")
            time.sleep(0.05)
        return path

    def northd(self, command):
        subprocess.run(["ovn-appctl", "-t", f"{self.root}/northd.ctl", command], check=True, stdout=subprocess.DEVNULL)

    def bump(self, ops=()):
        """Commits {ops} with nb_cfg += 1, as `ovn-nbctl --wait=sb` does; returns the new nb_cfg."""
        result = self.nb.transact("OVN_Northbound", list(ops) + [
            {"op": "mutate", "table": "NB_Global", "where": [], "mutations": [["nb_cfg", "+=", 1]]},
            {"op": "select", "table": "NB_Global", "where": [], "columns": ["nb_cfg"]}])
        return result[-1]["rows"][0]["nb_cfg"]

    def wait_for(self, nb_cfg, timeout_s=3600):
        """Until northd has put everything up to {nb_cfg} in the SB (the server waits, no polling)."""
        self.nb.transact("OVN_Northbound", [{"op": "wait", "timeout": int(timeout_s * 1000), "table": "NB_Global",
                                             "where": [], "columns": ["sb_cfg"], "until": "==",
                                             "rows": [{"sb_cfg": nb_cfg}]}])

    def memory_mib(self, name):
        status = open(f"/proc/{self.procs[name].pid}/status").read().splitlines()
        field = lambda key: int(next(l for l in status if l.startswith(key)).split()[1]) // 1024
        return field("VmRSS:"), field("VmHWM:")

    def stop(self):
        for p in self.procs.values():
            if p.poll() is None:
                p.terminate()
        for p in self.procs.values():
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


def tenant_ops(t, chassis):
    """One tenant as NB rows: its router, switches, router ports and VIFs."""
    ops, lrps = [], []
    for s in range(SWITCHES):
        net = subnet(t, s)
        # Named uuids are per transaction, and a transaction holds many tenants.
        ops.append({"op": "insert", "table": "Logical_Router_Port", "uuid-name": f"t{t}lrp{s}",
                    "row": {"name": f"lrp{t}-{s}", "mac": mac((1 << 32) | (t * SWITCHES + s)),
                            "networks": f"{net}.1/24"}})
        lrps.append(["named-uuid", f"t{t}lrp{s}"])
        ports = [{"name": f"rp{t}-{s}", "type": "router", "addresses": "router",
                  "options": ["map", [["router-port", f"lrp{t}-{s}"]]]}]
        for p in range(PORTS_PER_SWITCH):
            port = t * PORTS_PER_TENANT + s * PORTS_PER_SWITCH + p
            ports.append(vif(f"vif{t}-{s}-{p}", mac((t * SWITCHES + s) * 1000 + p), f"{net}.{10 + p}", port % chassis))
        names = []
        for i, row in enumerate(ports):
            ops.append({"op": "insert", "table": "Logical_Switch_Port", "uuid-name": f"t{t}p{s}_{i}", "row": row})
            names.append(["named-uuid", f"t{t}p{s}_{i}"])
        ops.append({"op": "insert", "table": "Logical_Switch",
                    "row": {"name": f"ls{t}-{s}", "ports": ["set", names]}})
    ops.append({"op": "insert", "table": "Logical_Router", "row": {"name": f"lr{t}", "ports": ["set", lrps]}})
    return ops


def chassis_ops(first, last):
    ops = []
    for c in range(first, last):
        ops.append({"op": "insert", "table": "Encap", "uuid-name": f"e{c}",
                    "row": {"type": "geneve", "ip": tunnel_ip(c), "chassis_name": f"hv{c}",
                            "options": ["map", [["csum", "true"]]]}})
        ops.append({"op": "insert", "table": "Chassis",
                    "row": {"name": f"hv{c}", "hostname": f"hv{c}", "encaps": ["named-uuid", f"e{c}"]}})
    return ops


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ports", type=int, required=True)
    parser.add_argument("--chassis", type=int, required=True)
    parser.add_argument("--increments", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    tenants = args.ports // PORTS_PER_TENANT
    version = subprocess.run(["ovn-northd", "--version"], capture_output=True, text=True).stdout.split("\n")[0]

    root = tempfile.mkdtemp(prefix="tenet-ovn-")
    central = Central(root)
    # Ctrl-C and kill (TERM) unwind through the finally below like any failure.
    def interrupted(signum, frame):
        log(f"signal {signum}: stopping northd, NB and SB")
        sys.exit(128 + signum)
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, interrupted)
    try:
        central.start()
        log(f"{version}: NB, SB and northd up in {root}; northd paused while loading")
        central.northd("pause")
        for c in range(0, args.chassis, 1000):
            central.sb.transact("OVN_Southbound", chassis_ops(c, min(args.chassis, c + 1000)))
        t = time.monotonic()
        for first in range(0, tenants, TENANTS_PER_TXN):
            ops = [op for tenant in range(first, min(tenants, first + TENANTS_PER_TXN))
                   for op in tenant_ops(tenant, args.chassis)]
            central.nb.transact("OVN_Northbound", ops)
        load_s = time.monotonic() - t
        target = central.bump()
        log(f"{args.ports} ports = {tenants} tenants loaded into the NB in {load_s:.1f} s, {args.chassis} chassis in the SB")

        t = time.monotonic()
        central.northd("resume")
        central.wait_for(target)
        converge_s = time.monotonic() - t
        memory = {name: central.memory_mib(name) for name in ("northd", "nb", "sb")}
        log(f"northd converged in {converge_s:.2f} s; RSS MiB (peak): " +
            ", ".join(f"{n} {m[0]} ({m[1]})" for n, m in memory.items()))
        lflows = len(central.sb.transact("OVN_Southbound", [
            {"op": "select", "table": "Logical_Flow", "where": [], "columns": ["_uuid"]}])[0]["rows"])
        log(f"{lflows} logical flows in the SB")

        rng = random.Random(args.seed)
        times = []
        for n in range(args.increments):
            t_, s_ = rng.randrange(tenants), rng.randrange(SWITCHES)
            port = args.ports + n
            row = vif(f"x{n}", mac(0xF00000 + n), f"{subnet(t_, s_)}.{100 + n}", port % args.chassis)
            started = time.monotonic()
            target = central.bump([
                {"op": "insert", "table": "Logical_Switch_Port", "uuid-name": "new", "row": row},
                {"op": "mutate", "table": "Logical_Switch", "where": [["name", "==", f"ls{t_}-{s_}"]],
                 "mutations": [["ports", "insert", ["set", [["named-uuid", "new"]]]]]}])
            central.wait_for(target)
            times.append(time.monotonic() - started)
            log(f"lsp-add --wait=sb {n + 1}/{args.increments}: {times[-1]:.3f} s")
        memory_end = {name: central.memory_mib(name) for name in ("northd", "nb", "sb")}
    finally:
        central.stop()
        shutil.rmtree(root, ignore_errors=True)
    log(f"northd, NB and SB stopped, {root} removed")
    print(json.dumps({
        "ovn_version": version,
        "ovn_nb_load_s": round(load_s, 3),
        "ovn_converge_s": round(converge_s, 3),
        "ovn_logical_flows": lflows,
        "ovn_incr_median_s": round(statistics.median(times), 4),
        "ovn_incr_s": [round(x, 4) for x in times],
        "ovn_northd_rss_mib": memory["northd"][0],
        "ovn_northd_peak_mib": max(memory_end["northd"][1], memory["northd"][1]),
        "ovn_sb_rss_mib": memory["sb"][0],
        "ovn_sb_peak_mib": max(memory_end["sb"][1], memory["sb"][1]),
        "ovn_nb_rss_mib": memory["nb"][0],
    }))


if __name__ == "__main__":
    main()
