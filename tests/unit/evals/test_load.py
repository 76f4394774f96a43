"""``evals.load.ratios``: each run against the reference run (one worker, one answer at a time) at its client count."""

from evals.load import ratios


def row(workers: int, clients: int, rate: float, reference: bool = False) -> dict:
    return {"workers": workers, "clients": clients, "answers_per_s": rate, "reference": reference}


def test_each_run_is_divided_by_the_reference_at_the_same_client_count():
    rows = [row(1, 8, 50.0, True), row(1, 32, 40.0, True), row(2, 8, 75.0), row(2, 32, 90.0)]
    lines = ratios(rows)
    assert [r.get("x_reference") for r in rows] == [None, None, 1.5, 2.25]
    assert lines == ["workers 2  clients  8  1.50x the reference", "workers 2  clients 32  2.25x the reference"]


def test_no_reference_at_a_client_count_gives_no_ratio():
    rows = [row(1, 8, 50.0, True), row(2, 1, 30.0), row(2, 32, 90.0)]
    assert ratios(rows) == []
    assert all("x_reference" not in r for r in rows)
