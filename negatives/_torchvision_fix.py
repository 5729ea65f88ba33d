"""Import hook that lets a CUDA-built torchvision import on CPU-only torch.

`torchvision/_meta_registrations.py` registers fake kernels for `torchvision::nms` and
`torchvision::qnms` without checking that the ops exist (pytorch/vision#9085). When torchvision's
compiled extension cannot load (a CUDA wheel on CPU torch), those ops are never defined and
`import torchvision` fails. Just before that module runs, this hook defines the two schemas (the
same ones torchvision's C++ code declares) if they are missing. Calling `torchvision.ops.nms` still
fails cleanly through torchvision's own `_assert_has_ops` check; everything else works.

The fix belongs to the environment, not to our import order: `write_startup_hook()` (run by
`make setup`) writes :data:`PTH_NAME` into the environment's site-packages, a start-up hook that
installs the import hook in every interpreter of that environment, so `lm_eval`, `inspect` or
`python -c "import torchvision"` work unchanged. `negatives.models` installs it too, for
environments set up without `make`. The module stays light: every interpreter imports it.
"""

from __future__ import annotations

import importlib.machinery
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs start-up time in every interpreter of the environment
    from collections.abc import Sequence
    from importlib.abc import Loader
    from pathlib import Path
    from types import ModuleType
    from typing import Any

TARGET = "torchvision._meta_registrations"
SCHEMAS = {
    "nms": "nms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor",
    "qnms": "qnms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor",
}
_libraries: list[Any] = []  # keeps the definitions alive: a collected Library deregisters them


def _has_schema(torch: Any, op: str) -> bool:
    try:
        torch._C._dispatch_find_schema_or_throw(f"torchvision::{op}", "")
    except RuntimeError:
        return False
    return True


def define_missing_schemas() -> list[str]:
    """Define `torchvision::nms`/`qnms` if absent; return the names defined."""
    import torch

    missing = [op for op in SCHEMAS if not _has_schema(torch, op)]
    if missing:
        library = torch.library.Library("torchvision", "FRAGMENT")
        for op in missing:
            library.define(SCHEMAS[op])
        _libraries.append(library)
    return missing


class _DefineFirst:  # a loader (duck-typed: importlib.abc costs start-up time)
    """Wraps the real loader of the target module: define schemas, then execute it."""

    def __init__(self, loader: Loader) -> None:
        self.loader = loader

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self.loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        define_missing_schemas()
        self.loader.exec_module(module)

    def __getattr__(self, name: str) -> Any:  # get_source, get_filename, ... for inspect/linecache
        return getattr(self.loader, name)


class _Finder:  # a meta path finder
    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != TARGET:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path, target)
        if spec is not None and spec.loader is not None:
            spec.loader = _DefineFirst(spec.loader)
        return spec


def install() -> None:
    """Put the hook first on `sys.meta_path` (idempotent; harmless if torchvision is fine)."""
    if not any(isinstance(finder, _Finder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _Finder())


PTH_NAME = "negatives-torchvision-fix.pth"
# A .pth line starting with "import" runs at start-up; a missing package (uninstalled) costs nothing.
PTH_LINE = (
    "import importlib.util; importlib.util.find_spec('negatives') and "
    "__import__('negatives._torchvision_fix')._torchvision_fix.install()\n"
)


def write_startup_hook(site_dir: str | Path | None = None) -> Path:
    """Write :data:`PTH_NAME` into ``site_dir`` (default: this environment's site-packages); idempotent."""
    import sysconfig
    from pathlib import Path

    path = Path(site_dir or sysconfig.get_path("purelib")) / PTH_NAME
    if not path.is_file() or path.read_text(encoding="utf-8") != PTH_LINE:
        path.write_text(PTH_LINE, encoding="utf-8")
    return path
