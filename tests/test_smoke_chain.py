"""Quick end-to-end: a question in, a cited verdict out."""


def test_experiment_tracking_default_is_buy(advisor):
    answer = advisor.ask("Should we build or buy experiment tracking?")
    assert answer.verdict == "buy"
    assert answer.component == "experiment-tracking"
    assert answer.citations
