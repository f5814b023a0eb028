"""Start-up time of the commands that must not import torch (`--help`, `tasks`).

Usage: uv run python bench/cli_startup.py [--repeat N]
Writes the README section `bench:cli`. Target: at most 0.5 s wall each.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from child_env import installed_env
from readme_tables import hardware, write_section

COMMANDS = [["--help"], ["tasks"], ["train", "--help"], ["train", "gaussians", "--help"]]


def gantool_executable() -> str:
    local = Path(sys.executable).with_name("gantool")
    return str(local) if local.exists() else shutil.which("gantool") or "gantool"


def wall_times(argv: list[str], repeat: int, env: dict[str, str]) -> list[float]:
    """Wall seconds of `repeat` runs, after one untimed run that warms the caches."""
    times = []
    for _ in range(repeat + 1):
        start = time.perf_counter()
        subprocess.run([gantool_executable(), *argv], check=True, capture_output=True, env=env)
        times.append(time.perf_counter() - start)
    return times[1:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        env = installed_env(Path(tmp))
        timings = [(argv, wall_times(argv, args.repeat, env)) for argv in COMMANDS]
    for argv, times in timings:
        median = statistics.median(times)
        rows.append(f"| `gantool {' '.join(argv)}` | {median:.3f} s | {max(times):.3f} s | "
                    f"{'yes' if median <= 0.5 else 'no'} |")
    body = "\n".join([
        "| command | median wall | slowest | within 0.5 s |",
        "|---|---|---|---|",
        *rows,
        "",
        f"{args.repeat} runs each of the installed `gantool` script (process start to exit, "
        "after one untimed run; with a bytecode cache, as an ordinary install has), no torch "
        f"import. Hardware: {hardware()}.",
        "Measured by `uv run python bench/cli_startup.py`.",
    ])
    write_section("cli", body)
    print(body)


if __name__ == "__main__":
    main()
