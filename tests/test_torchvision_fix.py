"""The torchvision fix, each case in a fresh interpreter (it acts at import time).

The fix is part of the environment: `make setup` writes a start-up hook (a `.pth` file) into the
venv's site-packages, so any program of the venv (lm_eval, inspect, plain python) imports torchvision.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest

from negatives import _torchvision_fix as fix

pytestmark = pytest.mark.skipif(importlib.util.find_spec("torchvision") is None, reason="torchvision not installed")
ROOT = Path(__file__).resolve().parents[1]
SITE = sysconfig.get_path("purelib")


def run_python(code: str, *flags: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *flags, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=300)


def without_site_hooks(code: str) -> str:
    """``code`` run under ``python -S`` with site-packages (and this checkout) on the path but no .pth file run."""
    return f"import sys; sys.path[:0] = [{str(ROOT)!r}]; sys.path.append({SITE!r})\n" + textwrap.dedent(code)


def test_plain_import_fails_on_a_cuda_build_without_the_fix() -> None:
    result = run_python(without_site_hooks("import torchvision"), "-S")
    if result.returncode == 0:
        pytest.skip("torchvision's compiled ops load here, so there is nothing to fix")
    assert "operator torchvision::nms does not exist" in result.stderr


def test_the_environment_imports_torchvision_unchanged() -> None:
    """`make setup` installed the start-up hook: a plain interpreter of the venv needs nothing of ours."""
    assert (Path(SITE) / fix.PTH_NAME).is_file(), "the start-up hook is missing: run `make setup`"
    result = run_python("import sys, torchvision; assert 'negatives.models' not in sys.modules; print('ok')")
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == "ok"


def test_the_startup_hook_file_installs_the_fix(tmp_path: Path) -> None:
    path = fix.write_startup_hook(tmp_path)
    assert fix.write_startup_hook(tmp_path) == path and path.read_text() == fix.PTH_LINE  # idempotent
    result = run_python(without_site_hooks(f"import site; site.addsitedir({str(tmp_path)!r}); import torchvision; print('ok')"), "-S")
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == "ok"


def test_install_is_idempotent_and_lets_every_dependent_import() -> None:
    result = run_python(
        """
        import sys
        from negatives import _torchvision_fix as fix
        fix.install()
        fix.install()
        assert sum(isinstance(f, fix._Finder) for f in sys.meta_path) == 1
        import torch
        import torchvision
        import open_clip
        from transformers import AutoModelForCausalLM
        import sentence_transformers
        from torchvision.extension import _has_ops
        if not _has_ops():  # the schemas exist, but nms itself still refuses to run, as upstream intends
            boxes = torch.tensor([[0.0, 0.0, 1.0, 1.0]])
            try:
                torchvision.ops.nms(boxes, torch.tensor([1.0]), 0.5)
            except RuntimeError as error:
                assert "custom C++ ops" in str(error), error
            else:
                raise AssertionError("nms ran without compiled ops")
        print("imports-ok", torchvision.__version__)
        """
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "imports-ok" in result.stdout
