"""registry/workers.py: the worker processes that parse record files, each on its own pipe."""

from __future__ import annotations

import os
import signal
import sys
import time

import pytest

from kerjasama_cli.registry.workers import WorkerDied, Workers

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux")


def square_slowly_first(n: int) -> int:
    if n == 0:
        time.sleep(0.3)  # the first answer comes last
    return n * n


def fail_on_three(n: int) -> int:
    if n == 3:
        raise ValueError("three is not wanted")
    return n


def unpicklable(n: int) -> object:
    return lambda: n


def die_on_two(n: int) -> int:
    if n == 2:
        os.kill(os.getpid(), signal.SIGKILL)
    time.sleep(0.05)
    return n


def exit_on_one(n: int) -> int:
    if n == 1:
        os._exit(7)
    return n


def test_answers_come_in_the_order_of_the_tasks() -> None:
    with Workers(square_slowly_first, 2) as workers:
        assert list(workers.map(list(range(9)))) == [n * n for n in range(9)]


def test_more_workers_than_tasks_and_no_tasks() -> None:
    with Workers(square_slowly_first, 3) as workers:
        assert list(workers.map([5])) == [25]
    with Workers(square_slowly_first, 2) as workers:
        assert list(workers.map([])) == []


def test_a_failure_in_a_worker_is_raised_in_the_command() -> None:
    with Workers(fail_on_three, 2) as workers, pytest.raises(ValueError, match="three"):
        list(workers.map(list(range(6))))


def test_an_answer_that_cannot_be_sent_is_said_as_a_failure() -> None:
    with Workers(unpicklable, 2) as workers, pytest.raises(RuntimeError, match="pickle"):
        list(workers.map([1]))


def test_a_killed_worker_is_said_not_waited_for() -> None:
    with Workers(die_on_two, 2) as workers, pytest.raises(WorkerDied) as caught:
        list(workers.map(list(range(6))))
    assert caught.value.exitcode == -signal.SIGKILL
    assert caught.value.exit_code == 3
    assert "killed by signal SIGKILL" in str(caught.value)


def test_a_worker_that_exits_is_said_with_its_status() -> None:
    with Workers(exit_on_one, 2) as workers, pytest.raises(WorkerDied) as caught:
        list(workers.map(list(range(4))))
    assert caught.value.exitcode == 7
    assert "exit status 7" in str(caught.value)


def test_every_worker_is_gone_after_the_block() -> None:
    with Workers(square_slowly_first, 2) as workers:
        processes = [process for process, _ in workers._workers]
        list(workers.map([1, 2, 3]))
    assert all(not p.is_alive() for p in processes)
    assert all(p.exitcode == 0 for p in processes)  # asked to stop, not killed


def test_workers_left_on_an_interrupt_are_killed_at_once() -> None:
    workers = Workers(square_slowly_first, 2)
    processes = [process for process, _ in workers._workers]
    with pytest.raises(KeyboardInterrupt), workers:
        answers = workers.map([0, 1, 2, 3])
        next(answers)
        raise KeyboardInterrupt
    assert all(not p.is_alive() for p in processes)
    assert [p.exitcode for p in processes] == [-signal.SIGKILL] * 2
