"""Every export loaded by its consumer's own library, and imported back into the same records."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _export_data import image_records, text_records

from negatives.exporters import export
from negatives.exporters.common import ExportError, select
from negatives.errors import OutputError
from negatives.importers import import_records
from negatives.records import Record


def dicts(records: list[Record]) -> list[dict]:
    return [r.to_dict() for r in records]


@pytest.fixture(scope="module")
def texts() -> list[Record]:
    return text_records()


@pytest.fixture(scope="module")
def exported(texts: list[Record]) -> list[Record]:
    """What every export holds: the items that have distractors (the empty one is dropped)."""
    return select(texts).records


@pytest.fixture(autouse=True)
def _datasets_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path / "hf-cache"))


# -- lm-eval --------------------------------------------------------------------------------------


def task_yaml(path: Path) -> dict:
    """A task YAML as a dict, its ``!function`` values as plain strings."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_constructor("!function", lambda loader, node: f"!function {loader.construct_scalar(node)}")
    return yaml.load(path.read_text(), Loader=Loader)


def test_lm_eval_tasks_load_with_the_harness(tmp_path: Path, texts: list[Record], exported: list[Record]) -> None:
    lm_tasks = pytest.importorskip("lm_eval.tasks")
    out = tmp_path / "shapes"
    manifest = export(texts, "lm-eval", out, seed=3)
    assert manifest["counts"]["dropped"] == 1
    expected = {"shapes_swap_level1": 5, "shapes_swap_level2": 2, "shapes_swap_unleveled": 3, "shapes_count_level2": 5}
    assert manifest["lm_eval"]["tasks"] == dict(sorted(expected.items()))
    assert (out / "manifest.json").is_file()

    manager = lm_tasks.TaskManager(include_path=str(out), include_defaults=False)
    loaded = manager.load(["shapes"])["tasks"]
    assert set(loaded) == set(expected)
    by_id = {r.id: r for r in exported}
    positions = set()
    for name, task in loaded.items():
        assert task.OUTPUT_TYPE == "multiple_choice"
        assert set(task._metric_fn_list) == {"acc", "acc_norm"}
        docs = list(task.test_docs())
        assert len(docs) == expected[name]
        engine, level = name.split("_")[1], name.split("_")[2]
        for doc in docs:
            record = by_id[doc["id"]]
            choices, gold = task.doc_to_choice(doc), task.doc_to_target(doc)
            assert choices[gold] == record.positive
            wanted = {
                d.text
                for d in record.distractors
                if d.engine == engine and (f"level{d.level}" if d.level is not None else "unleveled") == level
            }
            assert set(choices) - {record.positive} == wanted
            assert task.doc_to_text(doc) == record.anchor_text
            positions.add(gold)
            # the harness scores context + " " + choice for every choice, in the stored order
            requests = task.construct_requests(doc, task.doc_to_text(doc))
            assert [r.args for r in requests] == [(record.anchor_text, f" {c}") for c in choices]
    assert positions == {0, 1}, "the seeded shuffle should not always put the positive first"


def test_lm_eval_all_task_holds_each_item_against_all_its_distractors_and_moves(tmp_path: Path, texts: list[Record], exported: list[Record]) -> None:
    lm_tasks = pytest.importorskip("lm_eval.tasks")
    manifest = export(texts, "lm-eval", tmp_path / "made" / "shapes", seed=3)
    assert manifest["lm_eval"]["all"] == {"shapes_all": len(exported)}
    config = task_yaml(tmp_path / "made" / "shapes" / "shapes_all.yaml")
    assert config["custom_dataset"] == "!function negatives_loader.load"
    assert config["dataset_kwargs"] == {"data_files": {"test": "data/shapes_all.jsonl"}}  # relative to the folder
    (tmp_path / "made").rename(tmp_path / "moved")
    manager = lm_tasks.TaskManager(include_path=str(tmp_path / "moved" / "shapes"), include_defaults=False)
    task = manager.load(["shapes_all"])["tasks"]["shapes_all"]
    docs = list(task.test_docs())
    assert [d["id"] for d in docs] == [r.id for r in exported]
    for doc, record in zip(docs, exported):
        choices = task.doc_to_choice(doc)
        assert choices[task.doc_to_target(doc)] == record.positive
        assert sorted(choices) == sorted([record.positive, *(d.text for d in record.distractors)])
        assert doc["engine"][task.doc_to_target(doc)] is None and len(doc["level"]) == len(choices)


def test_lm_eval_without_anchor_scores_choices_from_bos(tmp_path: Path, texts: list[Record]) -> None:
    pytest.importorskip("lm_eval")
    bare = [Record(r.id, "text", {}, r.positive, r.distractors) for r in texts[:2]]
    export(bare, "lm-eval", tmp_path / "bare")
    config = task_yaml(tmp_path / "bare" / "bare_swap_level1.yaml")
    assert config["target_delimiter"] == "" and config["doc_to_text"] == "{{context}}"


def test_lm_eval_refuses_mixed_anchors(tmp_path: Path, texts: list[Record]) -> None:
    mixed = [texts[0], Record("bare", "text", {}, texts[1].positive, texts[1].distractors)]
    with pytest.raises(ExportError, match="some items have an anchor text"):
        export(mixed, "lm-eval", tmp_path / "mixed")


def test_lm_eval_refuses_image_sets(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="lm-eval scores text only"):
        export(image_records(tmp_path), "lm-eval", tmp_path / "img")
    assert not (tmp_path / "img").exists()


def test_lm_eval_round_trip(tmp_path: Path, texts: list[Record], exported: list[Record]) -> None:
    export(texts, "lm-eval", tmp_path / "rt", seed=5)
    assert dicts(list(import_records(tmp_path / "rt"))) == dicts(exported)


# -- inspect --------------------------------------------------------------------------------------


def test_inspect_samples_load_with_json_dataset(tmp_path: Path, texts: list[Record], exported: list[Record]) -> None:
    inspect_dataset = pytest.importorskip("inspect_ai.dataset")
    out = tmp_path / "set.jsonl"
    export(texts, "inspect", out, seed=11)
    samples = list(inspect_dataset.json_dataset(str(out)))
    assert [s.id for s in samples] == [r.id for r in exported]
    letters = set()
    for sample, record in zip(samples, exported):
        cands = [record.positive, *(d.text for d in record.distractors)]
        order = sample.metadata["order"]
        assert sample.choices == [cands[i] for i in order]
        assert sample.target == "ABCD"[order.index(0)]
        assert sample.input == record.anchor_text
        assert not any(c[:3] in ("A) ", "A. ") for c in sample.choices)
        assert sample.metadata["engine"][order.index(0)] is None
        assert sample.metadata["level"] == [None if i == 0 else record.distractors[i - 1].level for i in order]
        assert sample.metadata["seed"] == 11
        letters.add(sample.target)
    assert len(letters) > 1
    assert dicts(list(import_records(out))) == dicts(exported)


def test_inspect_eval_runs_the_exported_task_file_offline(tmp_path: Path, texts: list[Record]) -> None:
    """The exported task file runs inspect's own multiple_choice solver and choice scorer (a mock model
    answers A three times, then no letter), and reports the share of replies naming a letter."""
    pytest.importorskip("inspect_ai")
    from inspect_ai import eval
    from inspect_ai.dataset import json_dataset
    from inspect_ai.model import ModelOutput, ModelUsage, get_model

    out = tmp_path / "set.jsonl"
    manifest = export(texts, "inspect", out, seed=4)
    assert manifest["inspect"]["task_file"] == str(tmp_path / "set_task.py")
    assert "lm-eval" in manifest["usage"] and "set_task.py@set" in manifest["usage"]
    dataset = json_dataset(str(out))
    answers = []
    for i, _ in enumerate(dataset):
        answer = ModelOutput.from_content(model="mockllm/model", content="ANSWER: A" if i < 3 else "a cat sleeps")
        answer.usage = ModelUsage(input_tokens=1, output_tokens=1, total_tokens=2)  # no tokenizer download
        answers.append(answer)
    model = get_model("mockllm/model", custom_outputs=answers)
    (log,) = eval(f"{tmp_path / 'set_task.py'}@set", model=model, log_dir=str(tmp_path / "logs"), display="none")
    assert log.status == "success" and len(log.samples) == len(dataset)
    targets = {s.id: s.target for s in dataset}
    for sample in log.samples:
        listed = "\n".join(f"{letter}) {c}" for letter, c in zip("ABCD", sample.choices))
        assert listed in sample.messages[0].text
    metrics = {score.name: score.metrics for score in log.results.scores}
    first = [s.id for s in dataset][:3]
    assert metrics["choice"]["accuracy"].value == pytest.approx(sum(targets[i] == "A" for i in first) / len(targets))
    assert metrics["answered"]["mean"].value == pytest.approx(3 / len(targets))


def test_inspect_task_file_is_never_written_over_a_file_not_ours(tmp_path: Path, texts: list[Record]) -> None:
    (tmp_path / "set_task.py").write_text("print('mine')\n")
    with pytest.raises(OutputError, match="set_task.py"):
        export(texts, "inspect", tmp_path / "set.jsonl", overwrite=True)
    assert (tmp_path / "set_task.py").read_text() == "print('mine')\n" and not (tmp_path / "set.jsonl").exists()


def test_inspect_image_items_carry_the_image_in_the_input(tmp_path: Path) -> None:
    inspect_dataset = pytest.importorskip("inspect_ai.dataset")
    records = image_records(tmp_path)
    out = tmp_path / "img.jsonl"
    export(records, "inspect", out)
    sample = list(inspect_dataset.json_dataset(str(out)))[0]
    image, question = sample.input[0].content
    assert image.type == "image" and Path(image.image) == tmp_path / "img0.png"  # resolved beside the file
    assert question.type == "text"


def test_inspect_shuffle_follows_the_seed(tmp_path: Path, texts: list[Record]) -> None:
    a, b, c = (tmp_path / f"{n}.jsonl" for n in "abc")
    export(texts, "inspect", a, seed=1)
    export(texts, "inspect", b, seed=1)
    export(texts, "inspect", c, seed=2)
    assert a.read_bytes() == b.read_bytes() != c.read_bytes()


def test_edited_choices_are_caught_on_import(tmp_path: Path, texts: list[Record]) -> None:
    out = tmp_path / "set.jsonl"
    export(texts, "inspect", out)
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    rows[0]["choices"][0] += " (edited)"
    out.write_text("".join(json.dumps(r) + "\n" for r in rows))
    with pytest.raises(Exception, match="choices do not match"):
        list(import_records(out))


# -- SugarCrepe -----------------------------------------------------------------------------------


def test_sugarcrepe_files_run_in_clip_benchmark(tmp_path: Path) -> None:
    records = image_records(tmp_path)
    out = tmp_path / "sc"
    manifest = export(records, "sugarcrepe", out)
    assert manifest["sugarcrepe"]["files"] == {"count.json": 3, "swap.json": 3}
    swap = json.loads((out / "swap.json").read_text())
    assert list(swap) == ["0", "1", "2"]
    assert all({"filename", "caption", "negative_caption", "id", "engine", "level", "difficulty"} <= set(v) for v in swap.values())
    assert [v["caption"] for v in swap.values()] == [r.positive for r in records]
    assert [v["negative_caption"] for v in swap.values()] == [r.distractors[0].text for r in records]

    sugar_crepe = pytest.importorskip("clip_benchmark.datasets.sugar_crepe")
    ds = sugar_crepe.SugarCrepe(root=str(tmp_path), ann_file=str(out / "count.json"))
    assert len(ds) == 3
    image, (caption, negative) = ds[1]
    assert image.size == (8, 8) and caption == records[1].positive and negative == records[1].distractors[1].text


def test_sugarcrepe_reads_back_with_the_sugarcrepe_reader(tmp_path: Path) -> None:
    from negatives.readers import read_records

    records = image_records(tmp_path)
    export(records, "sugarcrepe", tmp_path / "sc")
    back = list(read_records(tmp_path / "sc" / "swap.json", fmt="sugarcrepe"))
    assert [(r.positive, r.distractors[0].text, r.anchor_image) for r in back] == [
        (r.positive, r.distractors[0].text, r.anchor_image) for r in records
    ]


def test_sugarcrepe_needs_images(tmp_path: Path, texts: list[Record]) -> None:
    with pytest.raises(ExportError, match="anchor image"):
        export(texts, "sugarcrepe", tmp_path / "sc")


# -- HF datasets and parquet ----------------------------------------------------------------------


def test_hf_dataset_loads_from_disk(tmp_path: Path, texts: list[Record], exported: list[Record]) -> None:
    datasets = pytest.importorskip("datasets")
    out = tmp_path / "ds"
    export(texts, "hf", out)
    ds = datasets.load_from_disk(str(out))
    assert ds.num_rows == len(exported)
    assert ds["id"] == [r.id for r in exported]
    assert ds[0]["distractors"] == [d.text for d in exported[0].distractors]
    assert ds[0]["levels"] == [1, 2, None] and ds[0]["engines"] == ["swap", "count", "swap"]
    assert json.loads((out / "manifest.json").read_text())["counts"]["items"] == len(exported)
    assert dicts(list(import_records(out))) == dicts(exported)


def test_parquet_reads_with_pyarrow(tmp_path: Path, texts: list[Record], exported: list[Record]) -> None:
    import pyarrow.parquet as pq

    out = tmp_path / "set.parquet"
    export(texts, "parquet", out)
    table = pq.read_table(out)
    assert table.num_rows == len(exported)
    assert table.column("difficulties").to_pylist()[1] == [d.difficulty for d in exported[1].distractors]
    assert dicts(list(import_records(out))) == dicts(exported)


def test_plain_table_without_record_column_imports(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "plain.parquet"
    pq.write_table(pa.Table.from_pylist([{"id": 7, "positive": "a cat", "distractors": ["a dog", "two cats"], "levels": [1, 3]}]), path)
    (record,) = import_records(path)
    assert record.id == "7" and record.anchor == {} and [d.level for d in record.distractors] == [1, 3]
    assert [d.engine for d in record.distractors] == ["imported", "imported"]


# -- triplets -------------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
def test_triplets_have_exactly_three_columns(tmp_path: Path, texts: list[Record], exported: list[Record], suffix: str) -> None:
    datasets = pytest.importorskip("datasets")
    out = tmp_path / f"triplets{suffix}"
    manifest = export(texts, "triplets", out, levels=[1])
    kind = "json" if suffix == ".jsonl" else "parquet"
    ds = datasets.load_dataset(kind, data_files=str(out), split="train")
    assert ds.column_names == ["anchor", "positive", "negative"]
    assert ds.num_rows == manifest["counts"]["triplets"] == len(exported)
    assert ds[0] == {"anchor": exported[0].anchor_text, "positive": exported[0].positive, "negative": exported[0].distractors[0].text}
    provenance = [json.loads(line) for line in Path(f"{out}.provenance.jsonl").read_text().splitlines()]
    assert [p["level"] for p in provenance] == [1] * ds.num_rows and provenance[0]["id"] == exported[0].id


def test_triplets_use_the_image_as_anchor(tmp_path: Path) -> None:
    records = image_records(tmp_path)
    export(records, "triplets", tmp_path / "t.jsonl")
    first = json.loads((tmp_path / "t.jsonl").read_text().splitlines()[0])
    assert first == {"anchor": "img0.png", "positive": records[0].positive, "negative": records[0].distractors[0].text}


def test_triplets_refuse_other_extensions(tmp_path: Path, texts: list[Record]) -> None:
    with pytest.raises(ExportError, match=".jsonl or .parquet"):
        export(texts, "triplets", tmp_path / "t.csv")


@pytest.mark.slow
def test_lm_eval_run_matches_the_lm_probe(tmp_path: Path, texts: list[Record]) -> None:
    """lm-eval's hf backend on the offline SmolLM2 scores the exported choices as our lm probe does."""
    lm_eval = pytest.importorskip("lm_eval")
    from lm_eval.tasks import TaskManager

    from negatives.models import ModelNotAvailable, causal_lm_dir
    from probes.scorers.lm import causal_lm

    try:
        lm = causal_lm(None)
    except ModelNotAvailable as exc:
        pytest.skip(str(exc))
    bare = [Record(r.id, "text", {}, r.positive, r.distractors[:1]) for r in texts[:2]]
    export(bare, "lm-eval", tmp_path / "run")
    results = lm_eval.simple_evaluate(
        model="hf",
        model_args=f"pretrained={causal_lm_dir()},dtype=float32,prefix_token_id={lm.start}",
        tasks=["run"],
        task_manager=TaskManager(include_path=str(tmp_path / "run"), include_defaults=False),
        device="cpu",
        batch_size=4,
        log_samples=True,
    )
    samples = results["samples"]["run_swap_level1"]
    assert len(samples) == 2
    for s in samples:
        ours = [score for score, _ in lm.logprobs([("", c) for c in s["doc"]["choices"]])]
        assert [r[0][0] for r in s["resps"]] == pytest.approx(ours, abs=1e-3)
