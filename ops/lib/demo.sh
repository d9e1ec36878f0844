# The demo on the fabric: the VMs of docs/examples/demo-topology.yaml and the checks that prove
# the topology does what it says. Shared by `ops/bin/tenet sandbox` and the end-to-end test.
# Sourced after fabric.sh.

DEMO_TOPOLOGY=${DEMO_TOPOLOGY:-$TENET_ROOT/docs/examples/demo-topology.yaml}

# hypervisor  vm  iface-id (tenant/port)  MAC  address  gateway  TCP ports it answers on
demo_vms() {
  cat <<'VMS'
hv1 acme-web-1   acme/web-1   02:00:00:00:01:11 10.0.1.11/24 10.0.1.1 80
hv2 acme-web-2   acme/web-2   02:00:00:00:01:12 10.0.1.12/24 10.0.1.1 80
hv2 acme-db-1    acme/db-1    02:00:00:00:02:11 10.0.2.11/24 10.0.2.1 5432,22
hv1 globex-www-1 globex/www-1 02:00:00:10:01:11 10.0.1.11/24 10.0.1.1 80
hv2 globex-www-2 globex/www-2 02:00:00:10:01:13 10.0.1.13/24 10.0.1.1 80
hv1 globex-api-1 globex/api-1 02:00:00:10:02:11 10.0.2.11/24 10.0.2.1 5432,22
VMS
}

# Every VM plugged in, each with a listener answering its iface-id.
demo_plug() {
  local hv vm iface mac cidr gw ports
  while read -r hv vm iface mac cidr gw ports; do
    fabric_vm_add "$hv" "$vm" "$iface" "$mac" "$cidr" "$gw"
    # shellcheck disable=SC2086
    fabric_vm_listen "$vm" "$iface" ${ports//,/ }
  done < <(demo_vms)
}

# The proof: what must pass and what must fail (fabric_check's arguments, then why).
demo_checks() {
  cat <<'CHECKS'
pass ping acme-web-1   10.0.1.12      | acme: same switch, hv1 -> hv2
pass tcp  acme-web-1   10.0.1.12:80   | acme: same switch, hv1 -> hv2         | acme/web-2
pass ping globex-www-1 10.0.1.13      | globex, same subnet as acme
pass tcp  globex-www-1 10.0.1.13:80   | globex, same subnet as acme           | globex/www-2
pass ping acme-web-1   10.0.2.11      | acme: router edge, web -> db
pass ping acme-web-1   10.0.1.1       | acme: its gateway answers ping
pass ping globex-api-1 10.0.1.1       | globex: its own router's other address
pass tcp  acme-web-1   10.0.2.11:5432 | acme: router, ACL lets web reach db   | acme/db-1
fail tcp  acme-web-1   10.0.2.11:22   | acme: ACL drops ssh to db
pass tcp  globex-www-1 10.0.2.11:5432 | globex: router gw, its own 10.0.2.11  | globex/api-1
pass tcp  globex-www-1 10.0.2.11:22   | globex: no ACL there                  | globex/api-1
fail ping acme-web-1   10.0.1.13      | tenants apart: only globex has it
fail ping globex-www-1 10.0.1.12      | tenants apart: only acme has it
CHECKS
}

# Runs every check; prints one line each and a summary. Returns the number of unexpected results.
demo_proof() {
  local spec why answer expect kind vm target bad=0 total=0
  while IFS='|' read -r spec why answer; do
    read -r expect kind vm target <<< "$spec"
    why=$(echo "$why" | sed 's/^ *//; s/ *$//'); answer=$(echo "$answer" | sed 's/^ *//; s/ *$//')
    total=$((total + 1))
    fabric_check "$expect" "$kind" "$vm" "$target" "$why" "$answer" || bad=$((bad + 1))
  done < <(demo_checks)
  echo "  $((total - bad)) of $total checks as expected"
  return "$bad"
}
