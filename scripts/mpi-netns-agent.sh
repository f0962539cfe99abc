#!/usr/bin/env bash
# Open MPI launch agent ("plm_rsh_agent") for the network-namespace hosts made by
# scripts/mpi-hosts.sh. It stands in for ssh: where a real cluster would log into another
# machine, we enter the namespace that owns the host's address.
#
#   mpi-netns-agent.sh HOST WORD...         (how Open MPI calls it, like `ssh HOST WORD...`)
#   mpi-netns-agent.sh --exec HOST PROG ARG...   (for our own scripts: argv run as is, no
#                                                 shell, caller's environment kept; this is how
#                                                 mpi-hosts.sh starts mpirun on the head host)
#
# How Open MPI 4.1 calls the agent (recorded with S2S_MPI_AGENT_LOG, see below, and matching
# orte/mca/plm/rsh/plm_rsh_module.c): argv[1] is the host exactly as written in the hostfile
# (name or address), and the remote command follows as many words that are NOT an argv to exec.
# They are pieces of one shell command line: values carry their own quotes (the word is
# `"tcp,self"` with the double quotes in it, from mca_base_cmd_line_wrap_args), the first word
# has a leading space (` orted`), when mpirun is started by absolute path (implied --prefix) the
# first word is a whole statement list (`PATH=/usr/bin:$PATH ; export PATH ; LD_LIBRARY_PATH=...`),
# and for a login shell of sh or ksh the words include `( test ! -r ./.profile || . ./.profile;`
# and a closing `)`. ssh joins the words with spaces and hands that line to the user's login
# shell on the remote machine (`$SHELL -c LINE`, started in $HOME), so we do exactly the same.
# That shell must be the login shell from the passwd database: mpirun chooses the syntax of the
# line (Bourne `export` or csh `setenv`) from the LOCAL user's passwd shell (getpwuid; $SHELL only
# if that is unknown), assuming it is the same remotely (plm_rsh_assume_same_shell), so running
# the line with a fixed /bin/sh would break for a csh user.
#
# What a host gets, to look like a separate machine and not a subprocess of this one:
#  - its network namespace (ip netns exec), so it sees only lo and its veth with its address;
#  - its own UTS namespace with hostname s2s-hN, so MPI_Get_processor_name, Open MPI's node
#    names and its session directories (/tmp/ompi.<hostname>.<uid>) differ per host;
#  - its own mount namespace with $STATE_DIR/hosts bound over /etc/hosts, so the host names
#    resolve inside the hosts while the machine's real /etc/hosts is never touched;
#  - in the ssh-like mode (Open MPI's calls), a fresh environment as an ssh login would give
#    (env -i with HOME, USER, LOGNAME, SHELL, a standard PATH and LANG) and $HOME as working
#    directory, so anything a remote rank needs must be forwarded explicitly (mpirun -x, --wdir),
#    as on a cluster. Set S2S_MPI_AGENT_KEEP_ENV=1 to pass the caller's environment through.
#
# Knobs: S2S_MPI_HOSTS_DIR (state directory, default /tmp/s2s-mpi-hosts; it holds `hosts`),
#        S2S_MPI_AGENT_LOG=FILE (append each invocation, one argv word per line, for debugging).
set -euo pipefail

STATE_DIR=${S2S_MPI_HOSTS_DIR:-/tmp/s2s-mpi-hosts}
HOSTS_FILE=$STATE_DIR/hosts

die() { echo "mpi-netns-agent: $*" >&2; exit 255; }   # 255 is what ssh returns on its own errors

mode=shell
if [ "${1:-}" = --exec ]; then mode="exec"; shift; fi
[ $# -ge 2 ] || die "usage: $0 [--exec] HOST COMMAND..."
host=$1; shift

if [ -n "${S2S_MPI_AGENT_LOG:-}" ]; then
  {
    printf '=== %s pid=%d mode=%s from netns=%s argc=%d\n' "$(date +%T.%N)" $$ "$mode" \
      "$(ip netns identify $$ 2>/dev/null || true)" $(($# + 1))
    printf 'host=<%s>\n' "$host"
    i=1; for w in "$@"; do printf 'word[%d]=<%s>\n' "$i" "$w"; i=$((i + 1)); done
  } >>"$S2S_MPI_AGENT_LOG"
fi

# Map the host (a name or an address from the hostfile, or the namespace name itself) to its
# namespace and canonical name, through the hosts file written by `mpi-hosts.sh up`. Lines there
# are "ADDRESS NAME"; only our own test hosts are listed, so nothing else can be targeted.
[ -r "$HOSTS_FILE" ] || die "no $HOSTS_FILE: run scripts/mpi-hosts.sh up first"
name=$(awk -v h="$host" '$1 != "127.0.0.1" && ($1 == h || $2 == h) { print $2; exit }' "$HOSTS_FILE")
[ -n "$name" ] || die "unknown host '$host' (not in $HOSTS_FILE)"
[ -e "/run/netns/$name" ] || die "namespace $name does not exist: run scripts/mpi-hosts.sh up"

# The login shell, as sshd would use it: the passwd entry's, or /bin/sh if it has none usable.
user=$(id -un)
login_shell=$(getent passwd "$(id -u)" | cut -d: -f7 || true)
case ${login_shell##*/} in
  sh | bash | dash | ksh | zsh | csh | tcsh) [ -x "$login_shell" ] || login_shell=/bin/sh ;;
  *) login_shell=/bin/sh ;;   # e.g. nologin; mpirun would then have assumed bash syntax
esac

# The environment the remote side starts with. env -i drops everything else, like an ssh login.
env_args=()
if [ "$mode" = shell ] && [ "${S2S_MPI_AGENT_KEEP_ENV:-0}" != 1 ]; then
  env_args=(env -i "HOME=${HOME:-/}" "USER=$user" "LOGNAME=$user" "SHELL=$login_shell"
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
    "S2S_MPI_HOSTS_DIR=$STATE_DIR")   # kept so a remote orted can itself use this agent (tree spawn)
  if [ -n "${LANG:-}" ]; then env_args+=("LANG=$LANG"); fi
  if [ -n "${S2S_MPI_AGENT_LOG:-}" ]; then env_args+=("S2S_MPI_AGENT_LOG=$S2S_MPI_AGENT_LOG"); fi
fi

# Inside the new UTS + mount namespaces: set the hostname, bind the hosts file over /etc/hosts
# (unshare --mount makes the mount private to this process tree: the machine's /etc/hosts is
# unchanged), then run the command. Every step execs, so no wrapper process is left between
# Open MPI and its daemon except the login shell that interprets the command line (as with ssh).
# The inner scripts' $1.. are expanded by that inner shell, not here.
# shellcheck disable=SC2016
setup='hostname "$1" && mount --bind "$2" /etc/hosts && shift 2 || exit 255; '
if [ "$mode" = exec ]; then
  # shellcheck disable=SC2016
  inner=$setup'exec "$@"'
else
  # shellcheck disable=SC2016
  inner=$setup'cd "${HOME:-/}" 2>/dev/null || cd /; exec "$1" -c "$2"'
  set -- "$login_shell" "$*"   # the words joined with spaces, as ssh does
fi
exec ip netns exec "$name" unshare --uts --mount -- "${env_args[@]}" \
  /bin/sh -c "$inner" sh "$name" "$HOSTS_FILE" "$@"
