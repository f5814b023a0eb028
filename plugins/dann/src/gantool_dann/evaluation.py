"""`gantool eval dann`: accuracy on both domains, proxy A-distance and an embedding plot.

The proxy A-distance (Ben-David et al. 2007; used in Ganin et al. 2016, sec. 5.1.5) measures
how well a linear classifier tells source features from target features: 2 (1 - 2 err) on
held-out points, 0 when the domains are indistinguishable, 2 when they are separable. It is
reported for the adapted features and for a 'before' representation: a source-only model's
features when one is given, else the raw pixels.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from torch import Tensor

from gantool.errors import GantoolError
from gantool.files import atomic_path
from gantool.outputs import check_outputs
from gantool.report import Table
from gantool.train.devices import device_of
from gantool_dann.config import DannEval
from gantool_dann.data import DomainPair, load_pair
from gantool_dann.inference import Model, load
from gantool_dann.training import EMBEDDING, accuracy


@torch.no_grad()
def features(model: Model, images: Tensor, batch: int = 500) -> np.ndarray:
    """Flat features of `images`, brought back to the CPU for scikit-learn."""
    net = model.networks["features"]
    device = device_of(net)
    return torch.cat([net(x.to(device)).cpu() for x in images.split(batch)]).numpy()


def subsample(n: int, points: int, rng: np.random.Generator) -> np.ndarray:
    return np.sort(rng.permutation(n)[: min(n, points)])


def proxy_a_distance(source: np.ndarray, target: np.ndarray, seed: int) -> float:
    """2 (1 - 2 err) of a linear SVM separating the domains, trained on half of each."""
    from sklearn.model_selection import train_test_split
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import LinearSVC

    x = np.concatenate([source, target])
    y = np.concatenate([np.zeros(len(source)), np.ones(len(target))])
    x_fit, x_test, y_fit, y_test = train_test_split(x, y, test_size=0.5, stratify=y,
                                                    random_state=seed)
    svm = make_pipeline(StandardScaler(), LinearSVC(C=1.0, max_iter=5000, random_state=seed))
    error = 1.0 - svm.fit(x_fit, y_fit).score(x_test, y_test)
    return 2.0 * (1.0 - 2.0 * min(error, 0.5))


def embed(x: np.ndarray, method: str, seed: int) -> np.ndarray:
    from sklearn.decomposition import PCA
    from sklearn.manifold import TSNE
    from sklearn.preprocessing import StandardScaler

    x = StandardScaler().fit_transform(x)
    if method == "pca":
        return PCA(2, random_state=seed).fit_transform(x)
    x = PCA(min(50, x.shape[1], len(x)), random_state=seed).fit_transform(x)
    return TSNE(2, init="pca", perplexity=30, random_state=seed).fit_transform(x)


def plot(panels: list[tuple[str, np.ndarray]], n_source: int, path: Path) -> None:
    """One scatter per representation: source points blue, target points red."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(panels), figsize=(4.2 * len(panels), 4.4), squeeze=False)
    for ax, (title, xy) in zip(axes[0], panels, strict=True):
        for part, colour, name in ((slice(0, n_source), "tab:blue", "source"),
                                   (slice(n_source, None), "tab:red", "target")):
            ax.scatter(*xy[part].T, s=4, c=colour, alpha=0.5, label=name)
        ax.set_title(title, fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
    axes[0][0].legend(loc="best", fontsize=8, markerscale=3)
    fig.tight_layout()
    with atomic_path(path) as tmp:
        fig.savefig(tmp, dpi=100, format="png")
    plt.close(fig)


def _scores(model: Model, pair: DomainPair) -> tuple[float, float]:
    return accuracy(model.networks, pair.source), accuracy(model.networks, pair.target)


def plot_path(options: DannEval) -> Path:
    """The embedding PNG, checked before any work: it is replaced on each evaluation, but may
    never be one of the weights files read."""
    path = options.plot or Path(options.weights).with_name(EMBEDDING)
    check_outputs([path], overwrite=True, protected=[options.weights, options.baseline])
    return path


def evaluate(options: DannEval) -> list[Table]:
    plot_to = plot_path(options)
    model = load(options.weights)
    source = options.source or model.config.source
    target = options.target or model.config.target
    pair = load_pair(source, target, "test", target_labels=True, size=model.image_size,
                     channels=model.channels)
    if pair.classes != model.classes:
        raise GantoolError(f"the source classes {pair.classes} differ from the model's "
                           f"{model.classes}; evaluate on the data it was trained for")
    rng = np.random.default_rng(options.seed)
    s = subsample(len(pair.source.images), options.points, rng)
    t = subsample(len(pair.target.images), options.points, rng)
    before: tuple[str, np.ndarray, np.ndarray, list] = (
        "raw pixels", pair.source.images[s].flatten(1).numpy(),
        pair.target.images[t].flatten(1).numpy(), ["-", "-"])
    if options.baseline is not None:
        baseline = load(options.baseline)
        if (baseline.image_size, baseline.channels) != (model.image_size, model.channels):
            raise GantoolError(
                f"--baseline {options.baseline} takes {baseline.image_size}x"
                f"{baseline.image_size}x{baseline.channels} inputs, the model {model.image_size}"
                f"x{model.image_size}x{model.channels}; train both with the same --image-size")
        before = (f"before: {baseline.config.mode}", features(baseline, pair.source.images[s]),
                  features(baseline, pair.target.images[t]), list(_scores(baseline, pair)))
    after = (f"after: {model.config.mode}", features(model, pair.source.images[s]),
             features(model, pair.target.images[t]), list(_scores(model, pair)))
    rows, panels = [], []
    for name, fs, ft, scores in (before, after):
        distance = proxy_a_distance(fs, ft, options.seed)
        rows.append([name, *[round(v, 2) if isinstance(v, float) else v for v in scores],
                     round(distance, 3)])
        panels.append((f"{name} (proxy A-distance {distance:.2f})",
                       embed(np.concatenate([fs, ft]), options.embedding, options.seed)))
    plot(panels, len(s), plot_to)
    return [Table(f"dann: {options.weights}",
                  ["representation", "source acc %", "target acc %", "proxy A-distance"], rows,
                  notes=[f"test splits: {pair.source.folder} ({len(pair.source.images)}), "
                         f"{pair.target.folder} ({len(pair.target.images)}); "
                         f"embedding plot: {plot_to}"])]
