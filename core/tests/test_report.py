from gantool.report import Table


def test_table_cells_read_as_numbers() -> None:
    table = Table("t", ["a", "b", "c", "d"], [[-0.0, 0.00042, 15720.4, 12]])
    row = table.to_markdown().splitlines()[-1]
    assert row == "| 0 | 0.00042 | 15,720 | 12 |"
