"""Several processes writing to one database at once: no "database is locked", exact counts, exact caps.

Each worker is a separate process (spawned, so it shares nothing with the test)
with its own engine; a barrier makes them start writing together. Deadlines
are generous: the machine may be loaded, and only correctness is asserted.
"""

from __future__ import annotations

import multiprocessing
import queue
import threading

from classroom import ClassroomLimits, ClassStore
from tests.classroom import workers

PROCESSES = 4
DEADLINE_S = 240


def run_workers(target, args_for) -> list[tuple]:
    """Run ``target(*args_for(i), barrier, results)`` in PROCESSES spawned processes; their reports."""
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(PROCESSES), context.Queue()
    processes = [context.Process(target=target, args=(*args_for(i), barrier, results)) for i in range(PROCESSES)]
    for process in processes:
        process.start()
    try:
        reports = [results.get(timeout=DEADLINE_S) for _ in processes]
    finally:
        for process in processes:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
    errors = [report[1] for report in reports if report[0] == "error"]
    assert not errors, "\n".join(errors)
    return reports


def test_processes_join_and_record_at_once_with_exact_counts(database):
    with ClassStore(database) as store:
        cls = store.create_class()
    students, answers = 15, 3
    run_workers(workers.join_and_answer, lambda i: (database, cls.code, f"P{i}-", students, answers))
    with ClassStore(database) as store:
        report = store.report(cls.teacher_token)
        listed = store.report(cls.teacher_token, wrong_answers=100).lessons["derivatives"].wrong_answers
    total = PROCESSES * students
    assert len(report.students) == total
    assert len({student.nickname for student in report.students}) == total
    lesson = report.lessons["derivatives"]
    assert (lesson.attempted, lesson.solved, lesson.solved_first_try) == (total, total, 0)
    assert lesson.attempts == total * answers
    expected = {(f"P{i}- answer {j}", students) for i in range(PROCESSES) for j in range(answers - 1)}
    assert set(listed) == expected and len(listed) == len(expected)


def test_students_cap_holds_exactly_under_concurrent_joins(database):
    cap, attempts = 10, 5
    with ClassStore(database) as store:
        cls = store.create_class()
    reports = run_workers(workers.join_until_full, lambda i: (database, cls.code, f"P{i}-", attempts, cap))
    assert sum(report[1] for report in reports) == cap
    assert sum(report[2] for report in reports) == PROCESSES * attempts - cap
    with ClassStore(database, limits=ClassroomLimits(students_per_class=cap)) as store:
        assert len(store.report(cls.teacher_token).students) == cap


def test_threads_with_separate_stores_record_at_once(database):
    with ClassStore(database) as store:
        cls = store.create_class()
    stores = [ClassStore(database) for _ in range(PROCESSES)]
    barrier, errors = threading.Barrier(PROCESSES), queue.Queue()

    def answer(store: ClassStore, prefix: str) -> None:
        try:
            barrier.wait()
            for i in range(10):
                sid = store.join(cls.code, f"{prefix}{i}")
                store.record_attempt(sid, "gradient", "wrong", False)
                store.record_attempt(sid, "gradient", "right", True)
        except Exception as error:  # reported below
            errors.put(repr(error))

    threads = [threading.Thread(target=answer, args=(store, f"T{i}-")) for i, store in enumerate(stores)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=DEADLINE_S)
    for store in stores:
        store.close()
    assert errors.empty(), list(errors.queue)
    with ClassStore(database) as store:
        lesson = store.report(cls.teacher_token).lessons["gradient"]
    assert (lesson.attempted, lesson.solved, lesson.attempts) == (40, 40, 80)
    assert lesson.wrong_answers == [("wrong", 40)]


def test_the_same_attempts_sent_by_several_processes_count_once(database):
    count = 15
    with ClassStore(database) as store:
        cls = store.create_class()
        sid = store.join(cls.code, "Ada")
    run_workers(workers.retry_same_attempts, lambda i: (database, sid, count))
    with ClassStore(database) as store:
        assert store.progress(sid)["derivatives"].attempts == count
        assert store.report(cls.teacher_token).lessons["derivatives"].attempts == count
