"""Progress reporting: step timing for the manifest and the benchmarks."""

from __future__ import annotations

from revpages.progress import RecordingProgress, StepTimes


def test_step_times_measure_each_step_and_pass_every_call_on():
    ticks = iter([0.0, 1.5, 2.0, 9.75])
    inner = RecordingProgress()
    steps = StepTimes(inner, clock=lambda: next(ticks))
    steps.step("Loading data")
    steps.step("Running queries", 2)  # loading took 1.5 s
    steps.item("sales/pipeline")
    steps.step("Loading data")  # a step seen twice adds up
    steps.finish()
    assert steps.seconds == {"Loading data": 1.5 + 7.75, "Running queries": 0.5}
    assert inner.calls == [
        ("step", "Loading data", "0"),
        ("step", "Running queries", "2"),
        ("item", "sales/pipeline"),
        ("step", "Loading data", "0"),
        ("finish",),
    ]
