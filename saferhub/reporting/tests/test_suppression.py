"""Small-number suppression for published tables."""

from saferhub.reporting.tables import CONFIDENTIAL, SUPPRESSED, Table, suppress


def table(rows, total=None, counts=(1,), derived=()):
    return Table(
        key="t",
        caption="T",
        columns=["Row", "Count", "Percent"][: 1 + len(counts) + len(derived)],
        rows=rows,
        total=total,
        counts=counts,
        derived=derived,
    )


def test_counts_from_one_to_four_are_suppressed_and_zero_is_not():
    result = suppress(table([["a", 0], ["b", 1], ["c", 4], ["d", 5], ["e", 12]]))
    assert [row[1] for row in result.rows] == [0, SUPPRESSED, SUPPRESSED, 5, 12]


def test_a_single_suppressed_cell_beside_a_total_suppresses_the_next_smallest():
    result = suppress(table([["a", 3], ["b", 9], ["c", 7], ["d", 20]], total=["Total", 39]))
    assert [row[1] for row in result.rows] == [SUPPRESSED, 9, SUPPRESSED, 20]
    assert result.total == ["Total", 39]


def test_two_suppressed_cells_need_no_secondary_suppression():
    result = suppress(table([["a", 3], ["b", 2], ["c", 7]], total=["Total", 12]))
    assert [row[1] for row in result.rows] == [SUPPRESSED, SUPPRESSED, 7]
    assert result.total == ["Total", 12]


def test_a_lone_suppressed_cell_hides_the_total():
    result = suppress(table([["a", 3]], total=["Total", 3]))
    assert result.rows[0][1] == SUPPRESSED
    assert result.total[1] == SUPPRESSED


def test_without_a_total_there_is_no_secondary_suppression():
    result = suppress(table([["a", 3], ["b", 9]]))
    assert [row[1] for row in result.rows] == [SUPPRESSED, 9]


def test_each_count_column_is_treated_separately():
    result = suppress(table([["a", 2, 10], ["b", 8, 11], ["c", 9, 12]], total=["Total", 19, 33], counts=(1, 2)))
    assert [row[1:] for row in result.rows] == [[SUPPRESSED, 10], [SUPPRESSED, 11], [9, 12]]


def test_derived_figures_on_suppressed_rows_are_hidden():
    result = suppress(table([["a", 2, 20.0], ["b", 3, 30.0], ["c", 5, 50.0]], counts=(1,), derived=(2,)))
    assert result.rows[0][2] == CONFIDENTIAL
    assert result.rows[2][2] == 50.0


def test_original_table_is_unchanged():
    original = table([["a", 2]], total=["Total", 2])
    suppress(original)
    assert original.rows == [["a", 2]]
