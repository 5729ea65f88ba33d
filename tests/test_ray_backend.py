"""`generate --backend ray`: a Ray of 2 CPUs on 127.0.0.1 writes the bytes of the local run, listens
on 127.0.0.1 only, prints nothing of its own and leaves no process behind; an --address where no
cluster answers is one clear error."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(importlib.util.find_spec("ray") is None,
                                reason="ray is not installed (pip install 'negatives[ray]')")

CAPTIONS = [c for c in (Path(__file__).parent / "data" / "captions.txt").read_text().split("\n") if c.strip()]


def coco_like(n: int) -> list[str]:
    """``n`` distinct captions: the test captions, then subjects and predicates of theirs recombined."""
    singular = [c.split(" is ", 1) for c in CAPTIONS if " is " in c]
    out = list(dict.fromkeys(CAPTIONS))
    seen = set(out)
    k = 0
    while len(out) < n:
        text = f"{singular[k % len(singular)][0]} is {singular[(7 * k + k // len(singular)) % len(singular)][1]}"
        if text not in seen:
            out.append(text)
            seen.add(text)
        k += 1
    return out[:n]


def _run(src: Path, out: Path, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from negatives.cli import main; main()", "generate", str(src),
                           "--out", str(out), "--seed", "5", *options], capture_output=True, text=True,
                          env={**os.environ, "NEGATIVES_PROGRESS_EVERY": "600"})


def _generate(src: Path, out: Path, *options: str) -> tuple[bytes, dict, str]:
    """The output, manifest and stderr of ``negatives generate`` in a fresh process."""
    done = _run(src, out, *options)
    assert done.returncode == 0, done.stderr[-3000:]
    return out.read_bytes(), json.loads(Path(f"{out}.manifest.json").read_text()), done.stderr


def test_ray_writes_the_bytes_of_the_local_run(tmp_path):
    src = tmp_path / "captions.jsonl"
    src.write_text("".join(json.dumps({"id": f"c{i}", "text": c}) + "\n" for i, c in enumerate(coco_like(2000))))
    local, local_manifest, _ = _generate(src, tmp_path / "local.jsonl", "--workers", "2")
    ray, ray_manifest, said = _generate(src, tmp_path / "ray.jsonl", "--workers", "2", "--backend", "ray")
    assert ray == local and ray.count(b"\n") == 2000
    for part in ("counts", "generation", "grading", "question_checks"):
        assert ray_manifest[part] == local_manifest[part], part
    timeless = [{k: v for k, v in m["mining"].items() if k != "index"} for m in (ray_manifest, local_manifest)]
    assert timeless[0] == timeless[1]  # all but the index's build time
    assert ray_manifest["generation"]["inputs"] == 2000 and ray_manifest["config"]["backend"] == "ray"
    assert not re.search(r"\bray\b|raylet|core_worker|WARNING", said, re.IGNORECASE), said[-3000:]


LISTENERS = """
import json, os, psutil
from negatives.ray_backend import ray_session

with ray_session(cpus=2) as cpus:
    import ray
    assert ray.get(ray.remote(lambda: 2 + 2).remote()) == 4
    started = psutil.Process().children(recursive=True)
    pids = {os.getpid(), *(p.pid for p in started)}
    listening = {c.laddr.ip for c in psutil.net_connections("inet") if c.pid in pids and c.status == psutil.CONN_LISTEN}
_, alive = psutil.wait_procs(started, timeout=30)
print(json.dumps({"cpus": cpus, "processes": len(started), "listening": sorted(listening), "alive": len(alive)}))
"""


def test_ray_listens_on_127_0_0_1_only_and_stops_with_the_run():
    done = subprocess.run([sys.executable, "-c", LISTENERS], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.splitlines()[-1])
    assert seen["cpus"] == 2 and seen["processes"] >= 2 and seen["alive"] == 0
    assert seen["listening"] and set(seen["listening"]) <= {"127.0.0.1", "::ffff:127.0.0.1"}, seen


def test_an_address_where_no_cluster_answers_is_one_clear_error(tmp_path):
    src = tmp_path / "captions.jsonl"
    src.write_text(json.dumps({"id": "a", "text": CAPTIONS[0]}) + "\n")
    with socket.socket() as probe:  # a port nothing listens on once closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    done = _run(src, tmp_path / "out.jsonl", "--backend", "ray", "--address", f"127.0.0.1:{port}")
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr[-3000:]
    assert f"--address 127.0.0.1:{port}: no Ray cluster answers there" in done.stderr
    local = _run(src, tmp_path / "out.jsonl", "--address", f"127.0.0.1:{port}")
    assert local.returncode == 2 and "needs --backend ray" in local.stderr
    assert not list(tmp_path.glob("out.jsonl*"))
