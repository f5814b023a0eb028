"""`gantool eval`: accuracy, per-class accuracy and a confusion-matrix PNG on held-out images."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
from torch import Tensor

from gantool.errors import GantoolError
from gantool.files import atomic_path
from gantool.outputs import check_outputs
from gantool.report import Table
from gantool_semisup.config import SemisupEval
from gantool_semisup.data import Images, labelled_split
from gantool_semisup.trained import Model, load_ssl_gan, load_triple_gan, predict

CONFUSION = "confusion.png"
"""The confusion-matrix PNG an evaluation writes beside the weights (in a run folder)."""


def confusion_matrix(labels: Tensor, predicted: Tensor, classes: int) -> np.ndarray:
    """Counts: row = true class, column = predicted class."""
    flat = (labels * classes + predicted).numpy()
    return np.bincount(flat, minlength=classes * classes).reshape(classes, classes)


def plot_confusion(matrix: np.ndarray, classes: list[str], title: str, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    size = 1.2 + 0.45 * len(classes)
    fig, ax = plt.subplots(figsize=(size + 1, size))
    shown = ax.imshow(matrix, cmap="Blues")
    ticks = range(len(classes))
    ax.set(xticks=ticks, yticks=ticks, xticklabels=classes, yticklabels=classes,
           xlabel="predicted", ylabel="true", title=title)
    limit = matrix.max() / 2
    for (row, column), count in np.ndenumerate(matrix):
        ax.text(column, row, str(count), ha="center", va="center", fontsize=7,
                color="white" if count > limit else "black")
    fig.colorbar(shown, ax=ax, fraction=0.046)
    fig.tight_layout()
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", dpi=100)
    plt.close(fig)


def held_out(model: Model, options: SemisupEval) -> Images:
    """The evaluation images, checked to be held out and to match the model's classes."""
    config = model.config
    data = options.data or config.data
    data_format = options.format or config.format
    if data_format == "folders" and not (Path(data) / "test").is_dir() and \
            Path(data).resolve() == Path(config.data).resolve():
        raise GantoolError(f"{data} has no test/ split and is the training data; pass held-out "
                           "class folders with --data")
    images = labelled_split(Path(data), data_format, "test")
    if images.shape != model.shape:
        raise GantoolError(f"{data} holds {images.shape} images but the model takes "
                           f"{model.shape} (channels, height, width); evaluate on like images")
    if list(images.classes) != model.classes:
        raise GantoolError(f"{data} has classes {', '.join(images.classes)} but the model knows "
                           f"{', '.join(model.classes)}; name the class folders alike")
    return images


def evaluate_ssl_gan(options: SemisupEval) -> list[Table]:
    return evaluate(options, load_ssl_gan)


def evaluate_triple_gan(options: SemisupEval) -> list[Table]:
    return evaluate(options, load_triple_gan)


def evaluate(options: SemisupEval, load: Callable[[Path], Model]) -> list[Table]:
    """The tables of `gantool eval`; the confusion PNG is replaced on each evaluation, but may
    never be the weights it reads."""
    plot = options.confusion or Path(options.weights).with_name(CONFUSION)
    check_outputs([plot], protected=[options.weights], overwrite=True)
    model = load(options.weights)
    images = held_out(model, options)
    assert images.labels is not None
    predicted = predict(model, images.images).argmax(1)
    correct = predicted == images.labels
    k = len(model.classes)
    matrix = confusion_matrix(images.labels, predicted, k)
    accuracy = correct.float().mean().item()
    plot_confusion(matrix, model.classes, f"{model.task}: accuracy {100 * accuracy:.2f}%", plot)
    summary = Table(f"{model.task}: {options.weights}",
                    ["images", "labels used", "accuracy %", "error %"],
                    [[len(correct), model.config.labels, round(100 * accuracy, 2),
                      round(100 * (1 - accuracy), 2)]],
                    notes=[f"confusion matrix: {plot}"])
    per_class = Table("per-class accuracy", ["class", "images", "accuracy %"], [
        [name, int(matrix[i].sum()), round(100 * matrix[i, i] / max(1, matrix[i].sum()), 2)]
        for i, name in enumerate(model.classes)])
    return [summary, per_class]
