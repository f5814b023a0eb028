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
        ({"data": "x", "seed": "abc"}, "'seed' expects an integer, got 'abc'"),
        ({"data": "x", "mode": "c"}, "'mode' expects one of a, b"),
        ({"data": "x", "compile": "maybe"}, "'compile' expects true/false"),
        ({"data": "x", "seed": True}, "'seed' expects an integer"),
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
