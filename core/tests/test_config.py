from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pytest

from gantool.config import (
    TrainerConfig,
    build,
    coerce,
    differing_keys,
    load_toml,
    option,
    parse_set,
    resumable_keys,
    to_dict,
)
from gantool.errors import GantoolError


@dataclass(kw_only=True)
class Example(TrainerConfig):
    data: Path = option(help="a required folder")
    mode: Literal["a", "b"] = option("a", "a choice")
    scale: float = option(1.0, "a number")
    limit: int | None = option(None, "optional")


def test_layers_override_in_order_and_types_are_coerced():
    config = build(Example, {"data": "x", "scale": 2}, {"scale": "3.5", "mode": "b"},
                   {"seed": "7", "deterministic": "true", "limit": "none"})
    assert config.data == Path("x") and config.scale == 3.5 and config.mode == "b"
    assert config.seed == 7 and config.deterministic is True and config.limit is None


@pytest.mark.parametrize(
    ("layer", "message"),
    [
        ({"data": "x", "nope": 1}, "unknown config key 'nope'"),
        ({"data": "x", "seed": "abc"}, "--seed expects an integer, got 'abc'"),
        ({"data": "x", "mode": "c"}, "--mode expects one of a, b"),
        ({"data": "x", "compile": "maybe"}, "--compile expects true/false"),
        ({"data": "x", "seed": True}, "--seed expects an integer"),
        ({}, "missing required option --data"),
    ],
)
def test_bad_values_are_refused_with_the_key(layer, message):
    with pytest.raises(GantoolError, match=message):
        build(Example, layer)


def test_parse_set_and_its_error():
    assert parse_set(["a-b=1", "c = two"]) == {"a_b": "1", "c": "two"}
    with pytest.raises(GantoolError, match="key=value"):
        parse_set(["novalue"])


def test_toml_flat_or_train_table(tmp_path):
    flat = tmp_path / "a.toml"
    flat.write_text('seed = 3\ndata = "d"\n')
    table = tmp_path / "b.toml"
    table.write_text('[train]\nseed = 4\n')
    assert load_toml(flat) == {"seed": 3, "data": "d"}
    assert load_toml(table) == {"seed": 4}
    broken = tmp_path / "c.toml"
    broken.write_text("seed = = 3")
    with pytest.raises(GantoolError, match="not valid TOML"):
        load_toml(broken)
    with pytest.raises(GantoolError, match="not found"):
        load_toml(tmp_path / "missing.toml")


def test_differing_keys_ignore_resumable_settings():
    a = to_dict(build(Example, {"data": "x"}))
    b = dict(a, threads=4, log_every=1)
    allowed = resumable_keys(Example)
    assert {"threads", "log_every", "device"} <= allowed and "seed" not in allowed
    assert differing_keys(a, b, allowed) == []
    assert differing_keys(a, dict(a, scale=9.0, seed=2), allowed) == ["scale", "seed"]


def test_coerce_float_from_int_and_path():
    assert coerce(float, 3, "k") == 3.0
    assert coerce(Path | None, "p", "k") == Path("p")


def test_list_defaults_are_fresh_copies():
    @dataclass(kw_only=True)
    class WithList:
        widths: list[int] = option([500, 250], "layer widths")

    a, b = WithList(), WithList()
    assert a.widths == [500, 250] and a.widths is not b.widths
    assert build(WithList, {"widths": "3,4"}).widths == [3, 4]


def test_config_decorator_keeps_rules_and_takes_gpu_defaults():
    from gantool.config import config, gpu_defaults, objectives

    @config(batch_size=8, checkpoint_every=100, gpu={"batch_size": 64})
    class Task(TrainerConfig):
        lr: float = option(1e-3, "learning rate", above=0)
        objective: str = option("hinge", "objective", choices=objectives)

    assert Task().batch_size == 8 and "checkpoint_every" in resumable_keys(Task)
    assert gpu_defaults(Task) == {"batch_size": 64}
    with pytest.raises(GantoolError, match="at least 1"):
        build(Task, {"batch_size": 0})
    with pytest.raises(GantoolError, match="must be one of"):
        build(Task, {"objective": "nope"})
    with pytest.raises(TypeError, match="no inherited option"):
        config(nonexistent=1)(type("Bad", (TrainerConfig,), {}))


def test_gpu_defaults_apply_only_to_options_the_user_did_not_set(run_cli, monkeypatch, tmp_path):
    import torch

    from gantool.train import hardware, trainer

    seen = []

    class Recorder:
        def __init__(self, game, config, *args, **kwargs):
            seen.append(config.batch_size)
            raise GantoolError("recorded")

    monkeypatch.setattr(hardware, "resolve_device", lambda name: torch.device("cuda"))
    monkeypatch.setattr(trainer, "Trainer", Recorder)
    monkeypatch.setattr(trainer, "seed_everything", lambda seed: None)
    monkeypatch.setattr("gantool.demos.digits.build_game", lambda config: None)
    run_cli("train", "digits", "--out", tmp_path / "a")
    run_cli("train", "digits", "--batch-size", "32", "--out", tmp_path / "b")
    assert seen == [256, 32]


def test_an_option_added_after_a_run_started_resumes_at_its_default():
    saved = {"lr": 0.1}
    defaults = {"lr": 0.1, "centre": False}
    assert differing_keys(saved, {"lr": 0.1, "centre": False}, defaults=defaults) == []
    assert differing_keys(saved, {"lr": 0.1, "centre": True}, defaults=defaults) == ["centre"]
    assert differing_keys(saved, {"lr": 0.2, "centre": False}, defaults=defaults) == ["lr"]
    assert differing_keys({"lr": 0.1, "gone": 1}, {"lr": 0.1}, defaults=defaults) == ["gone"]
