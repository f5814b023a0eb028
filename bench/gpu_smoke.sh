#!/usr/bin/env bash
# The GPU smoke run (bench/gpu_smoke.py) on a machine with one NVIDIA GPU and no internet.
# Carry the project's wheels in .whl/, built here with
#   uv build --all-packages --wheel -o .whl && pip download --no-deps -d .whl kornia kornia_rs
# and any package the machine lacks. Arguments go to gpu_smoke.py (`--device cpu`: dry run).
set -euo pipefail
cd "$(dirname "$0")/.."
if compgen -G ".whl/*.whl" >/dev/null; then
    python3 -m pip install -q --no-index --no-deps --no-compile --target /tmp/gantool-site \
        .whl/*.whl
    export PYTHONPATH="/tmp/gantool-site${PYTHONPATH:+:$PYTHONPATH}"
fi
export PYTHONUNBUFFERED=1
exec timeout 480 "${PYTHON:-python3}" bench/gpu_smoke.py "$@"
