"""Two versions of Inward, machine instructions per page: `python -m bench.instructions`.

    BEFORE_DIR=/work/before BEFORE_DB=/data/before.db AFTER_DB=/data/after.db \\
        INSTRUCTIONS_PATHS=/wall,/d/bench-dept-1/scorecard .venv/bin/python -m bench.instructions

CPU time still moves by ±15 % between two processes running the same code on these shared
machines (bench.cpu_compare's rounds; the same page in two processes of one version differed
by 0.81x here). Valgrind's callgrind counts the instructions a process executes instead, which
is the same on every run for the same code, data and requests, whatever else the machine is
doing. So this runs each version's checkout under `valgrind --tool=callgrind` with counting
off, signs in as the user, requests each page `INSTRUCTIONS_WARMUP` (5) times (templates
compiled, statements cached; the version's own caches as its defaults have them, unless
`INSTRUCTIONS_COLD=1` switches every cache of rendered output off), then counts
`INSTRUCTIONS_REQUESTS` (10) requests (callgrind_control: zero, on, off, dump) and prints
millions of instructions per request and after/before. Needs valgrind (Debian's package);
about a minute per version to start under valgrind, then a few seconds a page.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.compare import environment
from bench.cpu_compare import SIGNED_IN

ROOT = Path(__file__).resolve().parents[1]
PYTHON = ROOT / ".venv" / "bin" / "python"
REQUESTS = int(os.environ.get("INSTRUCTIONS_REQUESTS", "10"))
WARMUP = int(os.environ.get("INSTRUCTIONS_WARMUP", "5"))
USER = os.environ.get("INSTRUCTIONS_USER", "bench.user.500")
PATHS = os.environ.get(
    "INSTRUCTIONS_PATHS", "/notifications?before=1,/wall?department=bench-dept-30"
).split(",")
COLD = os.environ.get("INSTRUCTIONS_COLD") == "1"

# Run inside the checkout under callgrind (counting off): prints {path: instructions per
# request}. Each path's count is read from the dump callgrind writes for it.
MEASURE = SIGNED_IN + """
import glob, json, os, subprocess, sys, time
from portal import create_app
email, paths, n, warmup, out, cold = json.loads(sys.argv[1])
pid = str(os.getpid())
def control(*args):
    subprocess.run(["callgrind_control", *args, pid], check=True, capture_output=True)
app = create_app()
client = signed_in(app, email)
found = {}
for path in paths:
    url, headers = (path[3:], {"HX-Request": "true"}) if path.startswith("hx:") else (path, {})
    if not cold and 60 - time.time() % 60 < 15:
        # The wall's page for a reader is kept per minute ("5 min ago" moves on): a minute
        # turning during the count would count one rebuild (+50 % on the wall, seen).
        time.sleep(60 - time.time() % 60 + 0.5)
    for _ in range(warmup):
        client.get(url, headers=headers)
    before = set(glob.glob(out + ".*"))
    control("-z")
    control("-i", "on")
    for _ in range(n):
        status = client.get(url, headers=headers).status_code
    control("-i", "off")
    control("-d")
    (dump,) = set(glob.glob(out + ".*")) - before
    with open(dump) as f:
        totals = next(int(line.split()[1]) for line in f if line.startswith("totals:"))
    found[path] = totals / n if status == 200 else None
print(json.dumps(found))
"""


def measure(checkout: Path, database: str) -> dict[str, float | None]:
    env = environment(database)
    env["PYTHONHASHSEED"] = "0"
    if COLD:
        env.update(RENDERED_CACHE="0", LIST_CACHE_SECONDS="0", DIRECTORY_CACHE_SECONDS="0")
    else:
        # Under valgrind a page takes ~50 times as long, so a 10-second entry could expire
        # between the warm-up and the count: one run would count a rebuild and the next none.
        env.update(LIST_CACHE_SECONDS="3600", DIRECTORY_CACHE_SECONDS="3600")
        env.update(CHAIN_MAP_CACHE_SECONDS="3600")
    with tempfile.TemporaryDirectory() as folder:
        out = f"{folder}/callgrind.out"
        email = USER if "@" in USER else f"{USER}@example.com"
        done = subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                "--instr-atstart=no",
                f"--callgrind-out-file={out}",
                str(PYTHON),
                "-c",
                MEASURE,
                json.dumps([email, PATHS, REQUESTS, WARMUP, out, COLD]),
            ],
            cwd=checkout,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    before_dir = Path(os.environ["BEFORE_DIR"])
    before = measure(before_dir, os.environ["BEFORE_DB"])
    after = measure(ROOT, os.environ["AFTER_DB"])
    mode = "cold" if COLD else "warm"
    print(f"Million instructions per {mode} page ({REQUESTS} requests counted, {USER})")
    print(f"{'page':42} {'before':>8} {'after':>8}  after/before")
    for path in PATHS:
        b, a = before.get(path), after.get(path)
        if b is None or a is None:
            print(f"{path:42} {'-':>8} {'-':>8}  (not 200)")
            continue
        print(f"{path:42} {b / 1e6:8.3f} {a / 1e6:8.3f}  {a / b:.3f}x")


if __name__ == "__main__":
    sys.exit(main())
