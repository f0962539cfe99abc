#!/usr/bin/env bash
# Several "hosts" on this one machine, made of Linux network namespaces, for running Open MPI
# jobs across them over TCP. It proves the data-parallel training path assumes nothing of a
# single machine: the ranks can only reach one another through a (virtual) network.
#
#   scripts/mpi-hosts.sh up [N]          make hosts s2s-h1..s2s-hN (default 2)
#   scripts/mpi-hosts.sh status          list them
#   scripts/mpi-hosts.sh run [-np K] [--dry-run] -- PROG ARGS...
#                                        mpirun PROG on the hosts (K ranks, default one per host),
#                                        printing the exact command line first
#   scripts/mpi-hosts.sh check           proof: where the ranks run, an allreduce with its
#                                        bandwidth, and the bytes counted on the veth links
#   scripts/mpi-hosts.sh down            remove everything `up` made (idempotent)
#
# Topology (all of it inside namespaces; the machine's own namespace gets no interface, address
# or route, and the machine's /etc is not touched; `ip netns` keeps its names in /run/netns):
#
#    s2s-h1 [lo, eth0 10.77.0.1/24] ──veth── h1 ┐
#    s2s-h2 [lo, eth0 10.77.0.2/24] ──veth── h2 ├─ br0   (bridge in namespace s2s-sw: the switch)
#    ...                                        ┘
#
# The hosts have no default route, so the only addresses they can reach are each other's in the
# test subnet: nothing outside can be targeted, whatever a program tries.
#
# mpirun itself runs on host s2s-h1, as on the login/head node of a cluster, and rank 0 runs there
# too. Open MPI recognises s2s-h1 as local (its hostname and its interface address) and starts
# daemons on every other host through the launch agent scripts/mpi-netns-agent.sh (in place of
# ssh), which enters that host's namespaces. Running mpirun in the root namespace instead would
# need a veth and an address there, i.e. changing the real machine's network, for no gain.
#
# Knobs (environment):
#   S2S_MPI_HOSTS_DIR  state directory (hostfile, hosts, the compiled proof), default /tmp/s2s-mpi-hosts
#   S2S_MPI_NET        first three octets of the /24 test subnet, default 10.77.0 (must be in 10/8)
#   S2S_MPI_WDIR       working directory of the ranks (mpirun --wdir), default the repository
#   S2S_MPI_EXPORT     extra environment variable names to forward to the ranks (mpirun -x),
#                      space-separated; PATH, LD_LIBRARY_PATH, OMP_NUM_THREADS and every S2S_*
#                      variable that is set are forwarded anyway
#   S2S_MPI_CHECK_MB, S2S_MPI_CHECK_ITERS   allreduce size (MB, default 8) and repetitions (20)
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
AGENT=$REPO/scripts/mpi-netns-agent.sh
STATE_DIR=${S2S_MPI_HOSTS_DIR:-/tmp/s2s-mpi-hosts}
NET=${S2S_MPI_NET:-10.77.0}
SUBNET=$NET.0/24
SWITCH=s2s-sw                # namespace holding the bridge
PREFIX=s2s-h                 # host namespaces are $PREFIX1..$PREFIXN
MARKER=.s2s-mpi-hosts        # in STATE_DIR: lets `down` delete the directory knowing it is ours
export S2S_MPI_HOSTS_DIR=$STATE_DIR   # the agent reads the hosts file from there

say() { printf '\033[1m== %s\033[0m\n' "$*" >&2; }
die() { echo "mpi-hosts: $*" >&2; exit 1; }

# Host namespaces that exist now, in numeric order (whatever N the last `up` used).
host_namespaces() {
  ip netns list 2>/dev/null | awk '{print $1}' | grep -E "^${PREFIX}[0-9]+$" | sort -V || true
}

# ip netns exec also remounts /sys for the namespace, so these are the namespace's counters.
link_bytes() { # NS DEV DIRECTION(rx|tx)
  ip netns exec "$1" cat "/sys/class/net/$2/statistics/${3}_bytes"
}

# Bytes as MB with one decimal.
mbytes() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1e6 }'; }

# MB a counter moved since the value BEFORE.
moved() { # NS DEV DIRECTION BEFORE
  mbytes $(($(link_bytes "$1" "$2" "$3") - $4))
}

need_root() { [ "$(id -u)" = 0 ] || die "needs root (network namespaces)"; }

# PIDs of the processes living in our namespaces, on one line.
namespace_pids() {
  local ns
  for ns in "$@"; do ip netns pids "$ns" 2>/dev/null || true; done | xargs
}

cmd_down() {
  need_root
  local all ns pids
  all="$(host_namespaces) $(ip netns list 2>/dev/null | awk -v s="$SWITCH" '$1 == s {print $1}')"
  # A namespace's name can be deleted while processes still live in it (e.g. the daemons and
  # ranks of a job still running or left over from a crash), and then its links survive too.
  # End them first: they can only be ours, nothing else runs in these namespaces. TERM to all of
  # them at once, and time to finish, lets mpirun stop its job and reap its children (daemons
  # left without their parent would end as zombies of PID 1); KILL what is left after 5 s.
  # shellcheck disable=SC2086
  pids=$(namespace_pids $all)
  if [ -n "$pids" ]; then
    echo "stopping processes left in the hosts: $pids" >&2
    # shellcheck disable=SC2086
    kill -TERM $pids 2>/dev/null || true
    for _ in $(seq 1 50); do
      # shellcheck disable=SC2086
      pids=$(namespace_pids $all)
      [ -n "$pids" ] || break
      sleep 0.1
    done
    if [ -n "$pids" ]; then
      echo "killing: $pids" >&2
      # shellcheck disable=SC2086
      kill -KILL $pids 2>/dev/null || true
    fi
  fi
  # Deleting a namespace destroys the interfaces in it; each veth pair goes with either end.
  for ns in $all; do
    ip netns del "$ns"
    echo "deleted namespace $ns" >&2
  done
  if [ -f "$STATE_DIR/$MARKER" ]; then
    rm -rf -- "$STATE_DIR"
    echo "deleted $STATE_DIR" >&2
  fi
}

cmd_up() {
  need_root
  local n=${1:-2} i ns
  if ! [[ $n =~ ^[1-9][0-9]*$ ]] || [ "$n" -gt 250 ]; then
    die "host count must be 1..250, got '$n'"
  fi
  if ! [[ $NET =~ ^10\.([0-9]{1,3})\.([0-9]{1,3})$ ]] || [ "${BASH_REMATCH[1]}" -gt 255 ] ||
    [ "${BASH_REMATCH[2]}" -gt 255 ]; then
    die "S2S_MPI_NET must be 10.X.Y (a private /24 inside 10.0.0.0/8), got '$NET'"
  fi
  command -v ip >/dev/null || die "needs iproute2 (ip)"
  command -v unshare >/dev/null || die "needs unshare (util-linux)"
  if [ -e "$STATE_DIR" ] && [ ! -f "$STATE_DIR/$MARKER" ]; then
    die "$STATE_DIR exists and was not made by this script; choose another S2S_MPI_HOSTS_DIR"
  fi

  # Start from nothing, so `up` can be repeated and a changed N takes effect.
  cmd_down

  mkdir -p "$STATE_DIR"
  touch "$STATE_DIR/$MARKER"

  # The switch: a namespace of its own holding a bridge, with no address. Only layer 2 happens here.
  say "switch: namespace $SWITCH with bridge br0"
  ip netns add "$SWITCH"
  quiet_ipv6 "$SWITCH"
  ip -n "$SWITCH" link set lo up
  ip -n "$SWITCH" link add br0 type bridge   # STP is off by default: ports forward at once
  ip -n "$SWITCH" link set br0 up

  # The hosts: one namespace each, with lo up (Open MPI and PMIx talk to themselves over it) and
  # one end of a veth pair named eth0; the other end, h<i>, is plugged into the bridge. Creating
  # the pair from inside the switch namespace, with the peer sent straight into the host's, means
  # no interface ever appears in the machine's own namespace, not even for a moment.
  for i in $(seq 1 "$n"); do
    ns=$PREFIX$i
    say "host $ns: eth0 $NET.$i/24 <-> $SWITCH:h$i"
    ip netns add "$ns"
    quiet_ipv6 "$ns"
    ip -n "$ns" link set lo up
    ip -n "$SWITCH" link add "h$i" type veth peer name eth0 netns "$ns"
    ip -n "$SWITCH" link set "h$i" master br0
    ip -n "$SWITCH" link set "h$i" up
    ip -n "$ns" addr add "$NET.$i/24" dev eth0
    ip -n "$ns" link set eth0 up
  done

  # Name resolution for the hosts: an /etc/hosts-style file that the agent binds over /etc/hosts
  # inside each host (a private mount namespace), so s2s-hN resolves there and nowhere else.
  {
    echo "127.0.0.1 localhost"
    for i in $(seq 1 "$n"); do echo "$NET.$i $PREFIX$i"; done
  } >"$STATE_DIR/hosts"

  # The Open MPI hostfile: one slot per host, like one rank per machine. Names, not addresses:
  # they resolve through the file above, and the hosts' hostnames are the same names, so
  # Open MPI's view of "which node is this" agrees everywhere.
  for i in $(seq 1 "$n"); do echo "$PREFIX$i slots=1"; done >"$STATE_DIR/hostfile"

  # The links must pass traffic before anyone relies on them: host 1 reaches every other host.
  for i in $(seq 2 "$n"); do
    wait_reachable "${PREFIX}1" "$NET.$i" || die "$PREFIX$i ($NET.$i) unreachable from ${PREFIX}1"
  done
  say "up: $n hosts; hostfile $STATE_DIR/hostfile, hosts $STATE_DIR/hosts"
  cmd_status
}

# IPv6 off in a namespace: its link-local chatter (router solicitations, DAD) would otherwise
# add packets to the counters `check` reads. Open MPI is restricted to the IPv4 subnet anyway.
quiet_ipv6() {
  # shellcheck disable=SC2016  # $f belongs to the inner shell
  ip netns exec "$1" sh -c 'for f in /proc/sys/net/ipv6/conf/all/disable_ipv6 \
    /proc/sys/net/ipv6/conf/default/disable_ipv6; do [ -w "$f" ] && echo 1 >"$f"; done; true'
}

# No ping in a minimal image: a TCP connect to port 9 (discard) either succeeds or is refused by
# the peer's kernel, both of which prove the path; only a timeout means no path.
wait_reachable() { # FROM_NS ADDRESS
  local out
  for _ in 1 2 3 4 5; do
    if out=$(ip netns exec "$1" timeout 2 bash -c "exec 3<>/dev/tcp/$2/9" 2>&1) ||
      [[ $out == *refused* ]]; then
      return 0
    fi
    sleep 0.5
  done
  return 1
}

cmd_status() {
  local ns
  local hosts
  hosts=$(host_namespaces)
  [ -n "$hosts" ] || { echo "no hosts (run: $0 up [N])"; return 0; }
  for ns in $hosts; do
    printf '%-8s %s\n' "$ns" "$(ip -n "$ns" -4 -br addr show dev eth0 | awk '{print $1, $3}')"
  done
  echo "hostfile: $STATE_DIR/hostfile"
}

# The mpirun command line, into the array MPIRUN. Every option is there for a reason:
#   --hostfile            our hosts, one slot each
#   -np                   one rank per host unless asked otherwise (more ranks than hosts needs
#                         more hosts, `up N`, or mpirun --oversubscribe)
#   --map-by node         spread ranks over hosts first
#   --bind-to none        Open MPI binds to a core by default with <= 2 ranks per node; every host
#                         here believes it owns all the machine's cores, so all ranks would pin to
#                         core 0 of the one real CPU
#   plm_rsh_agent         start remote daemons with our namespace agent instead of ssh (absolute
#                         path: a remote daemon may launch further daemons with it, tree spawn)
#   pml ob1, btl tcp,self MPI messages go through the TCP BTL (self for a rank to itself) only: no
#                         vader/sm shared memory, no UCX, nothing a real network would not carry
#   btl_tcp_if_include, oob_tcp_if_include   MPI data and Open MPI's own out-of-band channel
#                         (daemon wire-up, I/O forwarding) use the test subnet
#   --wdir                the ranks' working directory, explicitly: without it Open MPI silently
#                         falls back to $HOME on a host where mpirun's directory is missing
#   -x VAR                environment forwarded to the ranks; the remote daemons start with an
#                         ssh-like fresh environment (see the agent), so nothing else arrives
build_mpirun() { # NP PROG ARGS...
  local np=$1 var
  shift
  local wdir=${S2S_MPI_WDIR:-$REPO}
  MPIRUN=(mpirun --hostfile "$STATE_DIR/hostfile" -np "$np" --map-by node --bind-to none
    --mca plm_rsh_agent "$AGENT"
    --mca pml ob1 --mca btl "tcp,self"
    --mca btl_tcp_if_include "$SUBNET" --mca oob_tcp_if_include "$SUBNET"
    --wdir "$wdir")
  local forward=(PATH)
  for var in LD_LIBRARY_PATH OMP_NUM_THREADS $(compgen -e | grep -E '^S2S_' | grep -v '^S2S_MPI_' || true) \
    ${S2S_MPI_EXPORT:-}; do
    [[ $var =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || die "S2S_MPI_EXPORT: '$var' is not a variable name"
    if [ -n "${!var+set}" ]; then forward+=("$var"); fi
  done
  for var in "${forward[@]}"; do MPIRUN+=(-x "$var"); done
  MPIRUN+=("$@")
}

# mpirun runs on the head host s2s-h1, through the agent's --exec mode: the same namespaces as the
# other hosts get, but the caller's environment and argv kept as they are (the user "logged in"
# there). As root, mpirun refuses to start unless both OMPI_ALLOW_RUN_AS_ROOT variables are set.
head_prefix() { # into the array HEAD
  HEAD=("$AGENT" --exec "${PREFIX}1" env)
  if [ "$(id -u)" = 0 ]; then HEAD+=(OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1); fi
}

cmd_run() {
  need_root
  local np="" dry=0
  while [ $# -gt 0 ]; do
    case $1 in
      -np | -n) np=${2:-}; shift $(($# > 1 ? 2 : 1)) ;;
      --dry-run) dry=1; shift ;;
      --) shift; break ;;
      *) die "run: unknown option '$1' (usage: run [-np K] [--dry-run] -- PROG ARGS...)" ;;
    esac
  done
  [ $# -gt 0 ] || die "run: no program (usage: run [-np K] [--dry-run] -- PROG ARGS...)"
  [ -f "$STATE_DIR/hostfile" ] || die "no hosts: run '$0 up [N]' first"
  [ -n "$np" ] || np=$(wc -l <"$STATE_DIR/hostfile")
  [[ $np =~ ^[1-9][0-9]*$ ]] || die "run: -np needs a positive number, got '$np'"
  build_mpirun "$np" "$@"
  head_prefix
  # Print the whole command line, ready to paste.
  { printf '+'; printf ' %q' "${HEAD[@]}" "${MPIRUN[@]}"; printf '\n'; } >&2
  if [ "$dry" = 1 ]; then return 0; fi
  "${HEAD[@]}" "${MPIRUN[@]}"
}

cmd_check() {
  need_root
  [ -f "$STATE_DIR/hostfile" ] || die "no hosts: run '$0 up [N]' first"
  local n ns i mb=${S2S_MPI_CHECK_MB:-8} iters=${S2S_MPI_CHECK_ITERS:-20}
  n=$(wc -l <"$STATE_DIR/hostfile")
  [ "$n" -ge 2 ] || die "check needs at least 2 hosts"
  [[ $mb =~ ^[1-9][0-9]*$ && $iters =~ ^[1-9][0-9]*$ ]] ||
    die "S2S_MPI_CHECK_MB and S2S_MPI_CHECK_ITERS must be positive integers"

  say "1. Where do the ranks run? (a shell per rank: hostname, network namespace, address, directory)"
  # shellcheck disable=SC2016  # expanded by the ranks' shells
  cmd_run -- sh -c 'echo "rank $OMPI_COMM_WORLD_RANK: hostname=$(hostname) netns=$(ip netns identify $$)" \
"addr=$(ip -4 -br addr show dev eth0 | awk "{print \$3}") cwd=$(pwd)"' | sort

  say "2. Build the proof program with mpicc"
  mpicc -O2 -Wall -o "$STATE_DIR/mpi_ping" "$REPO/scripts/mpi_ping.c"

  # Counters of every host's eth0, its port on the switch, and host 1's loopback, before and
  # after. The bridge ports count only what really crossed the switch between namespaces.
  local -A before
  for i in $(seq 1 "$n"); do
    ns=$PREFIX$i
    before[$ns.tx]=$(link_bytes "$ns" eth0 tx)
    before[$ns.rx]=$(link_bytes "$ns" eth0 rx)
    before[sw.h$i]=$(link_bytes "$SWITCH" "h$i" rx)   # rx on the switch port = sent by host i
  done
  before[lo]=$(link_bytes "${PREFIX}1" lo tx)

  say "3. MPI between the hosts over TCP: ping-pong and a $mb MB allreduce ($n ranks)"
  local rc=0
  cmd_run -- "$STATE_DIR/mpi_ping" "$mb" "$iters" || rc=$?

  say "4. Bytes through the veth links during step 3"
  for i in $(seq 1 "$n"); do
    ns=$PREFIX$i
    printf '%-8s eth0 sent %-10s received %-10s | switch port h%s received %s\n' "$ns" \
      "$(moved "$ns" eth0 tx "${before[$ns.tx]}")" "$(moved "$ns" eth0 rx "${before[$ns.rx]}")" \
      "$i" "$(moved "$SWITCH" "h$i" rx "${before[sw.h$i]}")"
  done
  printf '%-8s lo   sent %s (loopback inside the head host: MPI data does not take it)\n' \
    "${PREFIX}1" "$(moved "${PREFIX}1" lo tx "${before[lo]}")"
  if [ "$n" = 2 ]; then
    # With 2 ranks both the ping-pong and the allreduce move the whole buffer each way per call
    # (plus one warm-up call each); TCP/IP/Ethernet headers add a few percent on top.
    echo "MPI payload each way: 2 x $((iters + 1)) calls x $mb MB = $(mbytes $((2 * (iters + 1) * mb * 1000000)))"
  fi
  [ "$rc" = 0 ] || die "mpi_ping failed (exit $rc)"
  say "check passed"
}

case ${1:-} in
  up) shift; cmd_up "$@" ;;
  down) cmd_down ;;
  status) cmd_status ;;
  run) shift; cmd_run "$@" ;;
  check) cmd_check ;;
  *)
    sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
