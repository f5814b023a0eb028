"""`gantool eval seqgan`: NLL-oracle for oracle models; BLEU-2..4 against the held-out
reference split, self-BLEU and held-out NLL for text models."""

from __future__ import annotations

from pathlib import Path

from gantool.errors import GantoolError
from gantool.report import Table
from gantool_seqgan.config import SeqganEval
from gantool_seqgan.corpus import Corpus, oracle_corpus, reference_windows
from gantool_seqgan.inference import Model, load
from gantool_seqgan.scores import score
from gantool_seqgan.text import check_coverage, line_sequences, load_splits


def text_corpus(model: Model, data: Path) -> Corpus:
    """The reference split as the model's sequences: windows, or (a line model) every line,
    each sample then scored against all of them as Texygen does."""
    splits = load_splits(data)
    check_coverage(splits.reference or splits.train, model.vocab, data)
    length = model.config.seq_len
    if model.config.unit == "line":
        if not splits.reference.strip():
            raise GantoolError(f"{data} has no reference split; give a folder with test.txt "
                               "or reference/")
        reference = line_sequences(splits.reference, model.vocab, length,
                                   what="the reference text")
        return Corpus(model.vocab, reference, reference, lines=True)
    reference = reference_windows(splits.reference, model.vocab, length)
    if reference is None:
        raise GantoolError(f"the reference split of {data} is shorter than one sequence of "
                           f"{length} tokens; give more held-out text")
    return Corpus(model.vocab, reference, reference)


def evaluate(options: SeqganEval) -> list[Table]:
    model = load(options.weights)
    config = model.config
    if config.oracle:
        if options.data is not None:
            raise GantoolError(f"{options.weights} was trained on the synthetic oracle; drop "
                               "--data (the oracle is rebuilt from the model's config)")
        corpus = oracle_corpus(config, 0)
        source = (f"oracle (seed {config.oracle_seed}, vocabulary {config.oracle_vocab}; "
                  f"nll_reference: G's NLL on {len(corpus.reference)} held-out oracle "
                  "sequences)")
    else:
        data = options.data or config.data
        if data is None or not Path(data).exists():
            raise GantoolError(f"the training data {data} is gone; pass --data FILE|DIR")
        corpus = text_corpus(model, Path(data))
        source = f"reference split of {data} ({len(corpus.reference)} sequences)"
    metrics = score(model.generator, corpus, config.seq_len, options.num, options.seed,
                    options.temperature)
    return [Table(f"seqgan: {options.weights}", ["metric", "value"],
                  [[name, round(value, 4)] for name, value in metrics.items()],
                  notes=[f"{options.num} samples of {config.seq_len} {model.vocab.level} "
                         f"tokens at temperature {options.temperature:g}, scored against the "
                         f"{source}; {config.mode} model"])]
