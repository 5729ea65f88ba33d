"""The default reference embedder on CPU: all-MiniLM-L6-v2 in ONNX Runtime with int8 weights.

The packaged all-MiniLM-L6-v2 is exported once per machine (``make setup``, or the first use) into
the negatives cache (:func:`negatives.cache.build_once`), offline, from the package's own files:
the transformer and its mean pooling as one ONNX graph, its weights quantized to int8 per output
channel (``onnxruntime.quantization.quantize_dynamic``). Encoding needs neither torch nor
sentence-transformers: the model's own fast tokenizer, batches of texts of similar length (little
padding) and one ONNX Runtime session. Activations are quantized per batch, so a text's vector
moves slightly (cosine > 0.98) with the texts batched with it: the same texts in the same order
give the same bytes. Its vectors agree with the float32 model's (cosine ~0.99;
``benchmarks/embedder_agreement.py`` measures what that does to difficulties and levels).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from negatives import parallel

NAME = "minilm-int8"
VERSION = 1  # bump when the export or the quantization changes: a new cache entry is built
MAX_TOKENS = 256  # all-MiniLM-L6-v2's max_seq_length
BATCH_TOKENS = 64 * 64  # padded tokens per session run


class OnnxEmbedder:
    """``encode(texts)`` -> (n, 384) float32 rows, L2-normalised, like ``SentenceTransformer.encode``."""

    max_seq_length = MAX_TOKENS
    bounds_batches = True  # batches hold at most BATCH_TOKENS real tokens: no estimate needed

    def __init__(self, directory: Path, threads: int | None = None) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.directory = Path(directory)
        self.info = json.loads((self.directory / "info.json").read_text(encoding="utf-8"))
        self.tokenizer = Tokenizer.from_file(str(self.directory / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(MAX_TOKENS)
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or parallel.threads() or 0  # 0: one per core
        options.inter_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")  # no busy waits on a shared machine
        self.session = ort.InferenceSession(str(self.directory / "model.onnx"), options, providers=["CPUExecutionProvider"])
        self.model_id = f"{self.info['source_name']} (ONNX Runtime int8)"

    def get_embedding_dimension(self) -> int:
        return int(self.info["dimension"])

    def encode(self, texts: Sequence[str], batch_size: int = 64, **_: Any) -> np.ndarray:
        """Normalised mean-pooled vectors; texts go in batches of similar length (at most
        ``batch_size`` texts and :data:`BATCH_TOKENS` padded tokens), results in input order."""
        ids = [e.ids for e in self.tokenizer.encode_batch(list(texts))]
        out = np.zeros((len(ids), self.get_embedding_dimension()), dtype=np.float32)
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        start = 0
        while start < len(order):
            end = start + 1
            while end < len(order) and end - start < batch_size and (end - start + 1) * len(ids[order[end]]) <= BATCH_TOKENS:
                end += 1
            rows = order[start:end]
            batch = np.zeros((len(rows), len(ids[rows[-1]])), dtype=np.int64)
            mask = np.zeros_like(batch)
            for j, i in enumerate(rows):
                batch[j, : len(ids[i])] = ids[i]
                mask[j, : len(ids[i])] = 1
            out[rows] = self.session.run(None, {"input_ids": batch, "attention_mask": mask})[0]
            start = end
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms > 0, norms, 1.0)


def export(source: str, source_name: str, target: Path) -> None:
    """Write ``model.onnx`` (int8), ``tokenizer.json`` and ``info.json`` of the sentence-transformers
    model in the directory ``source`` (a BERT-style transformer with mean pooling) into ``target``."""
    import logging
    import shutil
    import warnings

    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel

    class Pooled(torch.nn.Module):
        def __init__(self, model: Any) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            hidden = self.model(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            return (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)

    model = AutoModel.from_pretrained(source).eval()
    example = torch.ones(2, 8, dtype=torch.long)
    float_path = target / "float.onnx"
    axes = {"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"}, "pooled": {0: "batch"}}
    quiet = logging.getLogger().level
    with torch.inference_mode(), warnings.catch_warnings():  # tracer notes on branches the mask never takes
        warnings.simplefilter("ignore")
        torch.onnx.export(Pooled(model), (example, example), str(float_path), input_names=["input_ids", "attention_mask"],
                          output_names=["pooled"], dynamic_axes=axes, opset_version=17, dynamo=False)
        logging.getLogger().setLevel(logging.ERROR)  # the quantizer's advice to pre-process, on the root logger
        try:
            quantize_dynamic(str(float_path), str(target / "model.onnx"), weight_type=QuantType.QInt8, per_channel=True)
        finally:
            logging.getLogger().setLevel(quiet)
    float_path.unlink()
    shutil.copyfile(Path(source) / "tokenizer.json", target / "tokenizer.json")
    info = {"name": NAME, "version": VERSION, "source": str(source), "source_name": source_name,
            "dimension": int(model.config.hidden_size), "quantization": "dynamic int8, per channel"}
    (target / "info.json").write_text(json.dumps(info, indent=1), encoding="utf-8")
