"""The notebooks run top to bottom (on small data, ``NEGATIVES_SMALL=1``) so they never rot."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
KERNEL = "negatives-test"


@pytest.fixture(scope="module")
def kernel_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A kernelspec that runs this interpreter, so the notebooks see this environment's packages."""
    root = tmp_path_factory.mktemp("jupyter")
    spec = root / "kernels" / KERNEL
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": KERNEL, "language": "python"}))
    return {"JUPYTER_PATH": str(root), "NEGATIVES_SMALL": "1", "MPLBACKEND": "Agg"}


@pytest.mark.slow
@pytest.mark.parametrize("name", ["difficulty_sweep.ipynb", "plug_your_model.ipynb"])
def test_notebook_runs(name: str, tmp_path: Path, kernel_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    for key, value in kernel_env.items():
        monkeypatch.setenv(key, value)
    path = NOTEBOOKS / name
    nb = nbformat.read(path, as_version=4)
    assert not any(c.get("outputs") for c in nb.cells if c.cell_type == "code"), f"{name}: strip outputs before committing"
    client = nbclient.NotebookClient(nb, kernel_name=KERNEL, timeout=600, resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs), f"{name} draws no figure"
