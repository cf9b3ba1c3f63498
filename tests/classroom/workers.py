"""What each process of the concurrency tests does (importable, so that spawned processes can run it).

Every worker opens its own :class:`classroom.ClassStore` (its own engine and
connections), waits at the barrier so that all start writing at once, and
reports what happened on the queue as plain tuples.
"""

from __future__ import annotations

import traceback

from classroom import ClassFull, ClassroomLimits, ClassStore


def join_and_answer(url, code, prefix, students, answers, barrier, results) -> None:
    """Join ``students`` students and record ``answers`` answers each (the last one correct)."""
    try:
        store = ClassStore(url)
        barrier.wait()
        for i in range(students):
            sid = store.join(code, f"{prefix}{i}")
            for j in range(answers):
                store.record_attempt(sid, "derivatives", f"{prefix} answer {j}", j == answers - 1)
        store.close()
        results.put(("ok", prefix))
    except Exception:  # reported to the test, which fails with the traceback
        results.put(("error", traceback.format_exc()))


def join_until_full(url, code, prefix, attempts, students_per_class, barrier, results) -> None:
    """Try ``attempts`` joins into a class admitting ``students_per_class``; count joins and refusals."""
    try:
        store = ClassStore(url, limits=ClassroomLimits(students_per_class=students_per_class))
        barrier.wait()
        joined = full = 0
        for i in range(attempts):
            try:
                store.join(code, f"{prefix}{i}")
                joined += 1
            except ClassFull:
                full += 1
        store.close()
        results.put(("ok", joined, full))
    except Exception:
        results.put(("error", traceback.format_exc()))


def open_store(url, barrier, results) -> None:
    """Open the store (creating or upgrading the schema) at the same moment as the other workers."""
    try:
        barrier.wait()
        with ClassStore(url) as store:
            store.create_class()
        results.put(("ok",))
    except Exception:
        results.put(("error", traceback.format_exc()))


def retry_same_attempts(url, student_id, count, barrier, results) -> None:
    """Record attempts ``r0`` .. ``r{count-1}`` for one student; every worker sends the same ids at once."""
    try:
        store = ClassStore(url)
        barrier.wait()
        for i in range(count):
            store.record_attempt(student_id, "derivatives", f"answer {i}", False, attempt_id=f"r{i}")
        store.close()
        results.put(("ok",))
    except Exception:
        results.put(("error", traceback.format_exc()))
