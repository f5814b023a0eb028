"""The benches' results records: a scored run is recorded once, rows count their seeds, a record
from another machine is marked, and tables are rebuilt from the records with no run kept."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import dann_mnist  # noqa: E402
import results  # noqa: E402
import segan_lgg  # noqa: E402
import vawgan_vcc  # noqa: E402
from readme_tables import hardware  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
HERE = {"cpu": "Intel(R) Xeon(R) Processor", "cores": 2, "threads": 1, "gpu": None,
        "torch": "2.15.0"}
ELSEWHERE = {"cpu": "AMD EPYC", "cores": 16, "threads": 1, "gpu": "NVIDIA H100", "torch": "2.15.0"}


@pytest.fixture(autouse=True)
def folder(tmp_path, monkeypatch) -> Path:
    """Every test records into its own folder, never into bench/results."""
    monkeypatch.setattr(results, "FOLDER", tmp_path / "results")
    monkeypatch.setattr(results, "machine", lambda: HERE)
    return tmp_path / "results"


def weights(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name / "model.safetensors"
    path.parent.mkdir()
    path.write_bytes(content)
    return path


def scored(method: str, seed: int | None, metrics: dict, path: Path | None,
           steps: int = 100) -> dict:
    return results.append("toy", task="toy", method=method,
                          options={"data": ROOT / "data", "steps": steps, "seed": seed,
                                   "threads": 2},
                          seed=seed, steps=steps, wall_seconds=60.0, metrics=metrics,
                          weights=path)


def stored(hardware_: dict, method: str, seed: int, recorded: str, options: dict,
           **metrics: float) -> dict:
    return {"bench": "x", "task": "x", "method": method, "options": options, "seed": seed,
            "steps": 10, "wall_seconds": 120.0, "hardware": hardware_, "metrics": metrics,
            "weights_sha256": None, "recorded": recorded}


def test_a_run_scored_again_replaces_its_record_in_place(tmp_path, folder):
    first = weights(tmp_path, "a", b"run a")
    scored("m", 0, {"error": 2.0}, first)
    scored("m", 1, {"error": 3.0}, weights(tmp_path, "b", b"run b"))
    scored("m", 0, {"error": 1.5, "missing": float("nan")}, first)
    records = results.load("toy")
    assert [(r["seed"], r["metrics"]["error"]) for r in records] == [(0, 1.5), (1, 3.0)]
    assert records[0]["metrics"]["missing"] is None
    assert records[0]["weights_sha256"] == results.sha256(first) != records[1]["weights_sha256"]
    assert records[0]["options"] == {"data": "data", "steps": 100}  # relative, watching dropped
    assert records[0]["hardware"] == HERE and records[0]["recorded"].endswith("+00:00")
    assert [p.name for p in folder.iterdir()] == ["toy.jsonl"]  # no temporary file left
    lines = (folder / "toy.jsonl").read_text().splitlines()
    assert [json.loads(line) for line in lines] == records


def test_a_run_scored_again_elsewhere_keeps_the_machine_that_trained_it(tmp_path, monkeypatch):
    """Its wall time is the training's: stamping the scoring machine on it would misstate it."""
    run = weights(tmp_path, "a", b"run a")
    scored("m", 0, {"error": 2.0}, run)
    monkeypatch.setattr(results, "machine", lambda: ELSEWHERE)
    scored("m", 0, {"error": 2.0}, run)
    assert results.load("toy")[0]["hardware"] == HERE
    (tmp_path / "a" / "model.safetensors").write_bytes(b"run a, trained again")
    scored("m", 0, {"error": 2.5}, run)
    assert results.load("toy")[1]["hardware"] == ELSEWHERE
    # a model card written now names the machine that trained each file
    assert results.trained_on("toy", run) == ELSEWHERE
    assert results.trained_on("toy", weights(tmp_path, "b", b"never scored")) is None


def test_records_without_weights_are_one_per_row_and_seed(tmp_path):
    scored("bicubic", None, {"psnr": 26.0}, None)
    scored("bicubic", None, {"psnr": 26.5}, None)
    scored("bicubic", None, {"psnr": 27.0}, None, steps=200)  # other options: another row
    assert [r["metrics"]["psnr"] for r in results.load("toy")] == [26.5, 27.0]
    assert results.load("absent") == []


def test_a_row_counts_each_seed_once_by_its_latest_record():
    """Latest by the time recorded, not by the place in the file (a replaced record keeps its
    place)."""
    options = {"data": "data", "steps": 10}
    records = [stored(HERE, "m", 0, "2026-01-03T00:00:00+00:00", options, error=4.0),
               stored(HERE, "m", 2, "2026-01-02T00:00:00+00:00", options, error=3.0),
               stored(HERE, "m", 0, "2026-01-01T00:00:00+00:00", options, error=5.0),
               stored(HERE, "m", 1, "2026-01-04T00:00:00+00:00", {**options, "steps": 20},
                      error=9.0),
               stored(HERE, "n", 1, "2026-01-04T00:00:00+00:00", options, error=9.0)]
    row = results.row(records, "m", {"data": ROOT / "data", "steps": 10, "seed": 7})
    assert row.seeds == 2 and [r["seed"] for r in row.records] == [0, 2]
    assert row.values("error") == [4.0, 3.0] and all(v != v for v in row.values("absent"))
    machines = results.machines(records)
    assert row.label("m", machines) == "m (2 seeds)"
    assert results.row(records, "m", {"steps": 20}).label("m", machines) == "m (1 seed)"


def test_a_record_from_another_machine_is_marked_in_its_row():
    options = {"steps": 10}
    records = [stored(ELSEWHERE, "a", 0, "2026-01-01T00:00:00+00:00", options),
               stored(HERE, "a", 1, "2026-01-01T00:00:00+00:00", options),
               stored(HERE, "b", 0, "2026-01-01T00:00:00+00:00", options),
               stored({**HERE, "threads": 4, "torch": "2.16"}, "b", 1,
                      "2026-01-01T00:00:00+00:00", options)]
    machines = results.machines(records)
    assert machines.usual == HERE  # threads and torch do not make another machine
    assert results.row(records, "a", options).label("a", machines) == "a (2 seeds)†"
    assert results.row(records, "b", options).label("b", machines) == "b (2 seeds)"
    assert machines.notes() == [f"† measured on {hardware(ELSEWHERE)}"]
    assert hardware(ELSEWHERE).endswith(", GPU NVIDIA H100") and "GPU" not in hardware(HERE)


def dann_args(**changes) -> argparse.Namespace:
    return argparse.Namespace(**{
        "mnist": ROOT.parent / "shared" / "data" / "mnist",
        "data": ROOT / "datasets" / "build" / "mnist-m",
        "photos": ROOT.parent / "shared" / "data" / "photos" / "train",
        "runs": ROOT / "runs" / "no-such-runs", "steps": 6000, "seeds": [0],
        "methods": ["dann"], "recipe": "paper", **changes})


def dann_record(mode: str, seed: int, target: float, measured: dict, steps: int = 6000) -> dict:
    options = results.defining(dann_mnist.options(dann_args(steps=steps), mode, seed))
    record = stored(measured, mode, seed, f"2026-01-0{seed + 1}T00:00:00+00:00", options,
                    target=target, source=98.0, pad=1.5)
    return {**record, "bench": "dann-mnist", "task": "dann", "steps": steps}


def test_the_dann_table_is_rebuilt_from_records_alone():
    records = [dann_record("dann", 0, 60.0, HERE), dann_record("dann", 1, 62.0, HERE),
               dann_record("source-only", 0, 50.0, HERE),
               dann_record("source-only", 1, 52.0, ELSEWHERE),
               dann_record("target-only", 0, 97.0, HERE),
               dann_record("target-only", 2, 10.0, HERE, steps=100)]  # another budget
    results.write("dann-mnist", records)
    text = dann_mnist.table(results.load("dann-mnist"), dann_args())
    lines = text.splitlines()
    assert lines[2].startswith(
        "| source-only (2 seeds)† | 51.0 ± 1.4 | 98.0 ± 0.0 | 1.50 ± 0.00 | 2 min | 3200 |")
    assert lines[3].startswith("| dann (2 seeds) | 61.0 ± 1.4 |")
    assert lines[4].startswith("| target-only (1 seed) | 97.0 |")
    assert f"† measured on {hardware(ELSEWHERE)}" in lines
    assert "DANN closes 22% of the source-only to train-on-target gap" in text
    assert "Records pending" not in text and "over seeds 0, 1:" in text
    assert f"Measured on {hardware(HERE)}, 1 thread per run" in text
    assert "--seeds 0 1 --methods source-only dann target-only`" in text


def test_a_longer_dann_budget_gets_its_own_table_and_run_folders():
    results.write("dann-mnist", [dann_record("dann", 0, 60.0, HERE),
                                 dann_record("dann", 0, 70.0, HERE, steps=12000)])
    text = dann_mnist.tables(results.load("dann-mnist"), dann_args(steps=12000))
    longer, default = text.split("**Recipe `paper`, 6,000 steps**")
    assert longer.startswith("**Recipe `paper`, 12,000 steps**")
    assert "| dann (1 seed) | 70.0 |" in longer and "| dann (1 seed) | 60.0 |" in default
    assert (dann_mnist.run_folder(dann_args(steps=12000), "dann", 0)
            != dann_mnist.run_folder(dann_args(), "dann", 0))


def test_dann_score_only_rebuilds_its_section_with_no_run_kept(monkeypatch):
    results.write("dann-mnist", [dann_record("dann", 0, 60.0, HERE)])
    written = {}
    monkeypatch.setattr(dann_mnist, "write_section", lambda name, body: written.update(
        {name: body}))
    monkeypatch.setattr(sys, "argv", [
        "dann_mnist.py", "--mnist", "../shared/data/mnist", "--photos", "photos",
        "--runs", str(ROOT / "runs" / "no-such-runs"), "--seeds", "1", "--methods",
        "source-only", "--score-only"])
    dann_mnist.main()
    assert "| dann (1 seed) | 60.0 |" in written["dann-mnist"]
    assert "Records pending for source-only, target-only" in written["dann-mnist"]


def segan_args() -> argparse.Namespace:
    return argparse.Namespace(lgg=ROOT.parent / "shared" / "data" / "lgg-mri", steps=3000,
                              batch_size=16, image_size=128, base=16, threads=1,
                              eval_every=500, seeds=[1], methods=["segan"], sampling="uniform",
                              augment=False, decay_from=1.0)


def test_the_segan_table_is_rebuilt_from_records_alone_or_says_they_are_pending():
    assert segan_lgg.table([], segan_args()).startswith(
        "Records pending for dice-bce, segan, segan+dice:")
    metrics = {"iou": 0.5, "precision": 0.6, "sensitivity": 0.7, "hd95": 20.0,
               "slice_dice": 0.65, "val_dice": 0.7, "patients": 18.0, "tumour_share": 0.02}
    records = []
    for method, seed, dice in (("dice-bce", 0, 0.70), ("dice-bce", 1, 0.74), ("segan", 0, 0.1)):
        options = results.defining(segan_lgg.options(segan_args(), method, seed))
        records.append(stored(HERE, method, seed, "2026-01-01T00:00:00+00:00", options,
                              dice=dice, **metrics))
    text = segan_lgg.table(records, segan_args())
    assert "| dice-bce (2 seeds) | 0.720 ± 0.028 | 0.500 ± 0.000 |" in text
    assert "| segan (1 seed) | 0.100 |" in text and "2 min |" in text
    assert "Records pending for segan+dice:" in text
    assert "Mean ± std over seeds 0, 1 (" in text and "18 test patients" in text
    assert "below the target of 0.80" in text and "--methods dice-bce segan`" in text


def test_superres_records_one_row_each_and_rebuilds_its_quality_table():
    import superres

    options = superres.SuperResEval(data=ROOT / "datasets" / "samples", self_ensemble=True)
    paths = {superres.PSNR_MODEL: superres.SHIPPED["srresnet"],
             superres.GAN_MODEL: superres.SHIPPED["srgan"]}
    means = {name: {"psnr": 26.0 + i, "ssim": 0.7, "hf_ratio": 0.2}
             for i, name in enumerate(superres.ROWS)}
    superres.record_quality(options, means, paths, 3)
    superres.record_quality(options, means, paths, 3)  # measured again: replaced, not added
    records = results.load("superres")
    assert [r["method"] for r in records] == list(superres.ROWS)
    assert all(r["seed"] is None for r in records) and records[0]["weights_sha256"] is None
    assert records[4]["weights_sha256"] == records[2]["weights_sha256"] == results.sha256(
        paths[superres.PSNR_MODEL]) and records[2]["steps"] > 0
    rebuilt, quality, machines = superres.recorded_quality(records, options)
    assert rebuilt == means and machines.usual == HERE
    assert [row[:2] for row in quality.rows] == [[name, 26.0 + i]
                                                 for i, name in enumerate(superres.ROWS)]
    assert quality.notes[0].startswith("3 images from ")


def test_the_segan_section_keeps_a_table_per_budget_and_recipe():
    metrics = {"iou": 0.5, "precision": 0.6, "sensitivity": 0.7, "hd95": 20.0,
               "slice_dice": 0.65, "val_dice": 0.7, "patients": 18.0, "tumour_share": 0.02}
    drawn = argparse.Namespace(**{**vars(segan_args()), "steps": 10000, "sampling": "area",
                                  "augment": True, "decay_from": 0.5})
    records = [stored(HERE, "dice-bce", 0, "2026-01-01T00:00:00+00:00",
                      results.defining(segan_lgg.options(args, "dice-bce", 0)), dice=dice,
                      **metrics) for args, dice in ((segan_args(), 0.5), (drawn, 0.66))]
    text = segan_lgg.tables(records, drawn)
    first, second = text.index("**10,000 steps; slices drawn by tumour area"), text.index(
        "**3,000 steps; slices of every patient")
    assert first < second and text.count("![predictions]") == 1
    assert "| dice-bce (1 seed) | 0.660 |" in text[:second]
    assert "| dice-bce (1 seed) | 0.500 |" in text[second:]
    assert "--sampling area --augment --decay-from 0.5`" in text[:second]


def test_the_cyclegan_table_shows_pix2pix_as_the_paired_upper_bound():
    import cyclegan_facades
    import translation_facades

    args = argparse.Namespace(facades=ROOT.parent / "shared" / "data" / "facades",
                              unpaired=ROOT / "datasets" / "build" / "facades-unpaired",
                              image_size=128, ngf=16, upsample="transpose", steps=8000,
                              seeds=[0], methods=["cyclegan"], threads=1, init=None)
    scores = {"l1": 0.2, "psnr": 12.0, "ssim": 0.2, "colour_a": 0.8, "colour_b": 0.8}
    options = results.defining(cyclegan_facades.options(args, "cyclegan", 0))
    results.write("cyclegan-facades", [
        {**stored(HERE, "cyclegan", 0, "2026-01-01T00:00:00+00:00", options, kid=90.0,
                  **scores), "bench": "cyclegan-facades"}])
    paired = argparse.Namespace(facades=args.facades, image_size=128, depth=6, ngf=16,
                                steps=12000, threads=1, upsample="transpose")
    results.write("translation-facades", [
        {**stored(HERE, "pix2pix-l1+cgan", 0, "2026-01-01T00:00:00+00:00",
                  results.defining(translation_facades.options(paired, "pix2pix-l1+cgan", 0)),
                  kid=70.0, **scores), "bench": "translation-facades"}])
    text = cyclegan_facades.table(args)
    lines = text.splitlines()
    assert lines[2].startswith("| pix2pix L1 + cGAN (paired: the upper bound) (1 seed) | U-Net, "
                               "16 channels, 6 levels, transpose upsampling | 12,000 |")
    assert lines[3].startswith("| CycleGAN (unpaired) (1 seed) | ResNet, 16 channels, 6 "
                               "blocks, transpose upsampling | 8,000 |") and "| 90.0 |" in lines[3]
    assert "Records pending for cyclegan-nocycle" in text


def vawgan_args(**changed) -> argparse.Namespace:
    return argparse.Namespace(**{"speech": ROOT / "speech", "data": ROOT / "vcc",
                                 "runs": ROOT / "runs", "seeds": [0, 1], "corpus": "vcc2016",
                                 **vawgan_vcc.DEFAULTS, **changed})


def test_the_vawgan_table_keeps_the_default_variant_and_shows_others_as_an_ablation():
    def record(method: str, seed: int, mcd: float, **changed) -> dict:
        args = vawgan_args(**changed)
        options = ({"data": args.data} if method == "none"
                   else results.defining(vawgan_vcc.options(args, method, seed)))
        pairs = {"mcd A->B": mcd - 0.5, "mcd B->A": mcd + 0.5}
        return stored(HERE, method, seed, "2026-01-01T00:00:00+00:00", options, mcd=mcd,
                      identified=100.0, probability=70.0, variance=0.4, f0_rmse=40.0,
                      f0_correlation=0.4, real_probability=68.0, **pairs)

    records = [record("none", 0, 9.0), record("vae", 0, 7.3), record("vawgan", 0, 7.2),
               record("vawgan", 0, 7.8, gan_weight=3.0)]
    text = vawgan_vcc.table(records, vawgan_args(gan_weight=3.0))
    assert "| VAW-GAN (1 seed) | 7.20 |" in text  # the default alpha's row, whatever was run
    assert "below VAE-only's on 2 of the 2 ordered pairs" in text
    assert "| 1 (1 seed) | 0 | no | 0 | 7.20 | 2 of 2 |" in text
    assert "| 3 (1 seed) | 0 | no | 0 | 7.80 | 0 of 2 |" in text
    assert "--gan-weight" not in text.split("Ablation of")[0]
    assert "speaker-confusion" not in text.split("| alpha")[1]  # no confusion run: not named
    confused = [*records, record("vawgan", 0, 7.1, speaker_confusion=1.0)]
    text = vawgan_vcc.table(confused, vawgan_args())
    assert "| VAW-GAN (1 seed) | 7.20 |" in text  # the main table keeps the default variant
    assert "| 1 (1 seed) | 1 | no | 0 | 7.10 | 2 of 2 |" in text
    assert "--speaker-confusion BETA" in text
    assert "adversarial-encoder" not in text
    assert vawgan_vcc.run_folder(vawgan_args(speaker_confusion=1.0), "vawgan", 2).name == \
        "vawgan-sc1-s2"
    both = [*confused, record("vawgan", 0, 7.0, adversarial_encoder=True)]
    text = vawgan_vcc.table(both, vawgan_args())
    assert "| 1 (1 seed) | 0 | yes | 0 | 7.00 | 2 of 2 |" in text
    assert "with alpha 1, MCD 7.00 dB against 7.20 dB without it" in text
    assert "`--adversarial-encoder`" in text
    assert vawgan_vcc.run_folder(vawgan_args(adversarial_encoder=True), "vawgan", 0).name == \
        "vawgan-ae1-s0"
    cycled = [*both, record("vawgan", 0, 6.9, cycle_weight=1.0)]
    text = vawgan_vcc.table(cycled, vawgan_args())
    assert "| 1 (1 seed) | 0 | no | 1 | 6.90 | 2 of 2 |" in text
    assert "at 1 with alpha 1, MCD 6.90 dB against 7.20 dB without it" in text
    assert "`--cycle-weight W`" in text
    assert vawgan_vcc.run_folder(vawgan_args(cycle_weight=1.0), "vawgan", 0).name == \
        "vawgan-cw1-s0"
    assert "None of them" not in text  # remedies below VAE-only: no excuse is made
    failed = [*records, record("vawgan", 0, 7.5, cycle_weight=1.0)]
    assert "None of them brings MCD below VAE-only's" in vawgan_vcc.table(failed, vawgan_args())
    alone = vawgan_vcc.table(records[:3], vawgan_args())
    assert "Ablation of" not in alone
    assert "also learns the two CMU ARCTIC speakers" in text and "(60 conversions;" in text
    arctic = vawgan_vcc.table(records, vawgan_args(corpus="arctic"))
    assert "(10 conversions;" in arctic and "also learns the four VCC2016 speakers" in arctic
    assert "--corpus arctic --seeds 0" in arctic
