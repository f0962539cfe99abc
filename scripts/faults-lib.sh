# Helpers of scripts/faults.sh (sourced; uses $S2S and $work).

rows=()
# row FAULT OPERATION TRIALS UNCLEAR LOST NOTE
row() { rows+=("$1|$2|$3|$4|$5|$6"); printf 'faults: %-10s %-40s trials %-4s unclear %-3s lost %s  %s\n' "$@" >&2; }
print_table() {
  local total_lost=0
  printf '| fault | operation | trials | unclear error | data lost | notes |\n|---|---|---|---|---|---|\n'
  for r in "${rows[@]}"; do
    IFS='|' read -r f o t u l n <<<"$r"
    printf '| %s | %s | %s | %s | %s | %s |\n' "$f" "$o" "$t" "$u" "$l" "$n"
    total_lost=$((total_lost + l))
  done
  [ "$total_lost" -eq 0 ]
}

# run CMD...: stdout discarded, stderr kept in $work/err; sets $status and $elapsed_ms.
run() {
  local start=$(date +%s%N)
  "$@" >/dev/null 2>"$work/err"; status=$?
  elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
}
# run_out FILE CMD...: as run, stdout to FILE.
run_out() {
  local out=$1; shift
  local start=$(date +%s%N)
  "$@" >"$out" 2>"$work/err"; status=$?
  elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
}
# The command failed with exactly one `Error:` line, the last thing it printed.
# (`s2s: ` is the prefix of an output error, which can come after the last argument is parsed.)
one_error_line() { [ "$(grep -cE '^(Error|s2s): ' "$1")" -eq 1 ] && tail -n 1 "$1" | grep -qE '^(Error|s2s): '; }
expect_error() {
  [ -n "${FAULTS_VERBOSE:-}" ] && echo "faults:   status $status in ${elapsed_ms:-?} ms: $(tail -n 1 "$work/err")" >&2
  if [ "$status" -ne 0 ] && one_error_line "$work/err"; then return 0; fi
  echo "faults:   unclear (status $status): $(tail -n 2 "$work/err" | tr '\n' ' ')" >&2
  return 1
}

# fill_to DIR FREE: a filler file leaving FREE bytes available on DIR's file system.
fill_to() {
  local avail=$(df -B1 --output=avail "$1" | tail -1)
  local size=$((avail - $2))
  [ "$size" -gt 0 ] && fallocate -l "$size" "$1/filler"
}

db_ok() { [ "$(sqlite3 "$1" 'PRAGMA integrity_check' 2>&1)" = ok ]; }
# pairs DB CORPUS: pairs of CORPUS in DB (0 when absent).
pairs() {
  sqlite3 "$1" "SELECT count(*) FROM pairs p JOIN corpora c ON c.id = p.corpus_id WHERE c.name = '$2'" 2>/dev/null || echo error
}
tree_hash() { (cd "$1" && find . -type f | sort | xargs sha256sum | sha256sum | cut -c1-16); }
# ckpt_step DIR: the step of DIR/latest.safetensors, empty when it does not load.
ckpt_step() { "$S2S" model info "$1/latest.safetensors" 2>/dev/null | sed -n 's/^trained *step \([0-9]*\).*/\1/p'; }
# The checkpoint and the best model both load and translate.
model_ok() {
  echo "A dog runs." | "$S2S" translate --model "$1/latest.safetensors" --greedy >/dev/null 2>&1 &&
    echo "A dog runs." | "$S2S" translate --model "$1" --greedy >/dev/null 2>&1
}
vocab_ok() { echo "A dog." | "$S2S" tokenize --pipeline "$1" --ids >/dev/null 2>&1; }
rand_ms() { echo $((RANDOM % $1)); }
# kill_after MS CMD...: runs CMD and kills it with SIGKILL after MS milliseconds (if still running).
kill_after() {
  local ms=$1; shift
  "$@" >/dev/null 2>&1 & local pid=$!
  sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
}
