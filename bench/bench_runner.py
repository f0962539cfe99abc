"""What every table of `make bench` shares: the machine's description, running one program and
recording it, alternating programs over rounds, medians and Markdown.

Each run's result (its JSON line, or the seconds of a timed command) goes to runs.jsonl with the
load average before it, so a figure can always be traced to the run and the load it came from.
"""
import json, os, platform, re, statistics, subprocess, sys, time


def log(message):
    print(message, file=sys.stderr, flush=True)


def command_output(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def cpu_description():
    """'AMD EPYC (family 26, model 2, stepping 1), 2 CPUs; AVX-512: yes, AVX512-BF16: yes, AMX: no'."""
    fields = {}
    for line in command_output(["lscpu"]).splitlines():
        key, _, value = line.partition(":")
        fields[key.strip()] = value.strip()
    flags = set(fields.get("Flags", "").split())
    has = lambda f: "yes" if f in flags else "no"
    return (f"{fields.get('Model name', platform.processor() or '?')} "
            f"(family {fields.get('CPU family', '?')}, model {fields.get('Model', '?')}, "
            f"stepping {fields.get('Stepping', '?')}), {fields.get('CPU(s)', os.cpu_count())} CPUs; "
            f"AVX-512: {has('avx512f')}, AVX512-BF16: {has('avx512_bf16')}, "
            f"AVX512-VNNI: {has('avx512_vnni')}, AMX: {has('amx_tile')}")


def uptime():
    return command_output(["uptime"]) or "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


class Recorder:
    """Runs commands, appends each result to OUT/runs.jsonl and keeps them for the tables."""

    def __init__(self, out_dir):
        self.out_dir = out_dir
        os.makedirs(out_dir, exist_ok=True)
        self.path = os.path.join(out_dir, "runs.jsonl")
        self.results = {}

    def record(self, key, result):
        result = dict(result, table=key[0], key=[str(k) for k in key[1:]])
        with open(self.path, "a") as f:
            f.write(json.dumps(result) + "\n")
        self.results.setdefault(key, []).append(result)
        return result

    def json_run(self, key, cmd):
        """Runs a program that prints one JSON line last; returns (and records) that line."""
        load = os.getloadavg()[0]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"bench: {' '.join(cmd)} failed (exit {done.returncode}):\n{done.stderr.strip()[-2000:]}")
        try:
            result = json.loads(done.stdout.strip().splitlines()[-1])
        except (IndexError, json.JSONDecodeError):
            sys.exit(f"bench: {' '.join(cmd)} printed no JSON line:\n{done.stdout[-2000:]}")
        return self.record(key, dict(result, load_before=load, notice=done.stderr.strip()[-300:]))

    def timed_run(self, key, cmd, stdin=None, stdout=subprocess.DEVNULL):
        """Wall seconds of one command (process start included), recorded."""
        load = os.getloadavg()[0]
        with open(stdin) if stdin else open(os.devnull) as source:
            start = time.perf_counter()
            done = subprocess.run(cmd, stdin=source, stdout=stdout, stderr=subprocess.PIPE, text=True)
            seconds = time.perf_counter() - start
        if done.returncode != 0:
            sys.exit(f"bench: {' '.join(cmd)} failed (exit {done.returncode}):\n{done.stderr.strip()[-2000:]}")
        return self.record(key, {"seconds": seconds, "load_before": load})

    def values(self, key, field):
        return [r[field] for r in self.results.get(key, []) if r.get(field) is not None]


def alternate(rounds, programs, run):
    """Calls run(name) for each program, rounds times, reversing the order every other round so
    that neither program always runs first (and so on a cooler or warmer machine)."""
    for r in range(rounds):
        for name in (programs if r % 2 == 0 else list(reversed(programs))):
            run(name, r)


def median(xs):
    return statistics.median(xs) if xs else None


def cell(xs, digits=1):
    """'median [min–max]' of the rounds, or '–' when there are none."""
    if not xs:
        return "–"
    m = statistics.median(xs)
    if len(xs) == 1:
        return f"{m:,.{digits}f}"
    return f"{m:,.{digits}f} [{min(xs):,.{digits}f}–{max(xs):,.{digits}f}]"


def ratio(a, b):
    return f"{a / b:.2f}×" if a and b else "–"


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def number_after(pattern, text, cast=float):
    """The first group of `pattern` in `text` as a number, or None."""
    m = re.search(pattern, text)
    return cast(m.group(1).replace(",", "")) if m else None
