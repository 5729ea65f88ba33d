"""The torchvision import hook, each case in a fresh interpreter (the hook acts at import time)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.skipif(importlib.util.find_spec("torchvision") is None, reason="torchvision not installed")


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=300)


def test_plain_import_fails_on_a_cuda_build_without_the_fix() -> None:
    result = run_python("import torchvision")
    if result.returncode == 0:
        pytest.skip("torchvision's compiled ops load here, so there is nothing to fix")
    assert "operator torchvision::nms does not exist" in result.stderr


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
