"""The module's demo step: runs after core's `users` step and reads what it built."""

STEPS_RUN: list[int] = []


def build(demo) -> None:
    STEPS_RUN.append(len(demo.users))
    demo.counts["消防栓巡检"] = 0
