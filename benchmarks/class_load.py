"""A class of simulated students on the cluster, with PostgreSQL: exact counts, slider latency, dashboard cost.

Usage:
  python benchmarks/class_load.py [--students 60] [--duration 60] [--rounds 1] [--ticks 15] [--seed 0]
  python benchmarks/class_load.py --database postgresql://calc_lab:calc_lab@127.0.0.1:5432/calc_lab_test

Starts ``deploy/cluster.py``'s cluster (two app processes behind HAProxy, on loopback) with
``--database`` naming a new schema in the PostgreSQL database given (by default
``CALC_LAB_TEST_POSTGRES_URL``, else the local test database ``.ci/run`` creates; the schema is
dropped afterwards). Then, per round:

1. **Without a class**: ``--students`` protocol clients (``labclient``) open a lesson (derivatives,
   integrals or gradient, in turn) and, for ``--duration`` seconds, think 1–3 s (``--think`` ±50 %)
   and then either type an answer into the task's box (probability ``--answer-share``; wrong and
   right in turn, each different from the one before) or move a random slider of the page.
2. **With a class**: the same, but the teacher starts a class, every student holds the cookie
   ``calc_lab_learner`` from ``ClassStore.enrol`` (a member, as a returning browser is), and the
   teacher's dashboard (``/class?teach=TOKEN``) is open and refreshes every 3 s, as its timer does.
   Afterwards the report must count every answer whose verdict a student saw, per lesson (answers,
   students who answered, students who solved), exactly: the script waits for the background
   writers, prints both and exits with status 1 on a difference.
3. **Dashboard cost**: with the students connected and idle, ``--ticks`` refreshes of the
   dashboard's live fragment (the rerun its timer sends), 2.5 s apart so that each reads the
   database again (the process reuses a report for 2 s); for each, the CPU time (user + system) of
   both app processes from sending it until they are idle again.

Latency is the client's round trip from sending a slider move to ``script_finished``, as
``benchmarks/protocol_load.py`` measures it. The time a rerun spends in the recording call
(``ui.membership.record_checked_answer``) is measured inside the app processes: a
``sitecustomize`` module on their ``PYTHONPATH`` (written to a temporary directory, this
benchmark's only) wraps that function with a timer that appends each call's duration to a file.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import textwrap
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from benchmarks.protocol_load import ServerCPU, _percentile, movable, random_value  # noqa: E402
from classroom import ClassStore  # noqa: E402
from classroom.config import engine_url  # noqa: E402
from deploy.cluster import Cluster, Limits, free_port, redact  # noqa: E402
from labclient import StreamlitClient, StreamlitProtocolError  # noqa: E402

LOCAL_URL = "postgresql+psycopg://calc_lab:calc_lab@127.0.0.1:5432/calc_lab_test"
LEARNER_COOKIE = "calc_lab_learner"  # ui/membership.py
TIMEOUT_S = 60
# Each lesson's task: the key of its answer box, a right answer, and wrong answers by number.
TASKS = {
    "derivatives": ("deriv_task_answer", "3x^2 - 4x", lambda n: f"3x^2 - {n + 5}x"),
    "integrals": ("integ_task_answer", "x^3 - 2x^2 + 7", lambda n: f"x^3 - {n + 3}x^2"),
    "gradient": ("grad_task_answer", "(2, 2)", lambda n: f"({n + 3}, 2)"),
}
LESSONS = list(TASKS)

RECORD_TIMER = '''
"""Times ui.membership.record_checked_answer in this process (benchmarks/class_load.py only)."""
import importlib.abc
import os
import sys
import time

_OUT = os.environ.get("CALC_LAB_RECORD_TIMES")


class _TimeRecording(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name != "ui.membership":
            return None
        for finder in sys.meta_path:
            if finder is not self and hasattr(finder, "find_spec"):
                spec = finder.find_spec(name, path, target)
                if spec is not None:
                    break
        else:
            return None
        execute = spec.loader.exec_module

        def exec_module(module):
            execute(module)
            original = module.record_checked_answer

            def timed(*args, **kwargs):
                started = time.perf_counter()
                try:
                    return original(*args, **kwargs)
                finally:
                    spent = time.perf_counter() - started
                    with open(os.path.join(_OUT, f"{os.getpid()}.txt"), "a") as out:
                        out.write(f"{spent:.7f}\\n")

            module.record_checked_answer = timed

        spec.loader.exec_module = exec_module
        return spec


if _OUT:
    sys.meta_path.insert(0, _TimeRecording())
'''


@dataclass
class Round:
    """What one round measured."""

    name: str
    students: int
    moves: list[float] = field(default_factory=list)  # seconds per slider move
    answers: list[float] = field(default_factory=list)  # seconds per typed answer (a whole-page rerun)
    typed: Counter = field(default_factory=Counter)  # lesson -> answers whose verdict was shown
    answered: dict = field(default_factory=dict)  # lesson -> set of students who answered
    solved: dict = field(default_factory=dict)  # lesson -> set of students who answered right
    errors: list[str] = field(default_factory=list)
    cpu_s: float = 0.0
    seconds: float = 0.0
    record_calls: list[float] = field(default_factory=list)
    ticks: list[float] = field(default_factory=list)  # teacher's refreshes during the load, seconds
    teacher: str | None = None  # the class's teacher token (the round with a class)

    def summary(self) -> dict:
        reruns = len(self.moves) + len(self.answers)
        return {
            "round": self.name, "students": self.students, "slider moves": len(self.moves),
            "slider p50 ms": 1000 * _percentile(self.moves, 0.5), "slider p95 ms": 1000 * _percentile(self.moves, 0.95),
            "answers": len(self.answers), "answer p50 ms": 1000 * _percentile(self.answers, 0.5),
            "answer p95 ms": 1000 * _percentile(self.answers, 0.95),
            "app CPU ms per rerun": 1000 * self.cpu_s / reruns if reruns else float("nan"),
            "reruns/s": reruns / self.seconds if self.seconds else float("nan"),
            "record calls": len(self.record_calls),
            "record p50 ms": 1000 * _percentile(self.record_calls, 0.5),
            "record p95 ms": 1000 * _percentile(self.record_calls, 0.95),
            "record max ms": 1000 * max(self.record_calls, default=float("nan")),
            "dashboard refreshes during load": len(self.ticks), "errors": len(self.errors),
        }


class Schema:
    """A new schema in the PostgreSQL database ``server`` names; ``url`` works inside it."""

    def __init__(self, server: str):
        self.server = server
        self.name = f"bench_{uuid.uuid4().hex[:12]}"
        self._admin = create_engine(engine_url(server))
        with self._admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{self.name}"'))
        self.url = engine_url(server).update_query_dict(
            {"options": f"-csearch_path={self.name}", "application_name": self.name}).render_as_string(
            hide_password=False)

    def drop(self) -> None:
        with self._admin.begin() as conn:
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE application_name = :name AND pid <> pg_backend_pid()"), {"name": self.name})
            conn.execute(text(f'DROP SCHEMA "{self.name}" CASCADE'))
        self._admin.dispose()


async def student(index: int, url: str, token: str | None, class_name: str | None, rng: random.Random,
                  args, go: asyncio.Event, stop_at: list[float], result: Round, opened: list[StreamlitClient]) -> None:
    lesson = LESSONS[index % len(LESSONS)]
    key, right, wrong = TASKS[lesson]
    client = StreamlitClient(url, timeout=TIMEOUT_S)
    if token:
        client.set_cookie(LEARNER_COOKIE, token)
    try:
        first = await client.open(lesson)
    except (OSError, StreamlitProtocolError) as exc:
        result.errors.append(f"student {index} open: {type(exc).__name__}: {exc}")
        return
    opened.append(client)
    if first.exceptions:
        result.errors.append(f"student {index} open: {first.exceptions}")
    if class_name and not any(class_name in shown for shown in first.texts()):
        result.errors.append(f"student {index}: the page does not show the class")
    await go.wait()
    count = 0
    await asyncio.sleep(rng.uniform(0, args.think))
    while time.monotonic() < stop_at[0]:
        try:
            if rng.random() < args.answer_share:
                ok = count % 2 == 1
                answer = right if ok else wrong(count // 2 + 3 * index)
                count += 1
                run = await client.set_widget(key, answer)
                shown = " ".join(run.texts())
                if run.exceptions or ("Correct" in shown) != ok:
                    result.errors.append(f"student {index} {lesson} {answer!r}: {run.exceptions or 'wrong verdict'}")
                else:
                    result.answers.append(run.seconds)
                    result.typed[lesson] += 1
                    result.answered.setdefault(lesson, set()).add(index)
                    if ok:
                        result.solved.setdefault(lesson, set()).add(index)
            else:
                widget = rng.choice(movable(client))
                run = await client.set_widget(widget.key, random_value(widget, rng))
                if run.exceptions:
                    result.errors.append(f"student {index} {widget.key}: {run.exceptions}")
                else:
                    result.moves.append(run.seconds)
        except (OSError, StreamlitProtocolError) as exc:
            result.errors.append(f"student {index}: {type(exc).__name__}: {exc}")
            return
        await asyncio.sleep(args.think * rng.uniform(0.5, 1.5))


async def teacher_ticks(client: StreamlitClient, every: float, stop: asyncio.Event, result: Round) -> None:
    """The dashboard's timer: a refresh of its live fragment every ``every`` seconds until stopped."""
    while not stop.is_set():
        try:
            await asyncio.wait_for(stop.wait(), every)
            return
        except TimeoutError:
            pass
        run = await client.tick()
        if run.exceptions:
            result.errors.append(f"dashboard: {run.exceptions}")
        result.ticks.append(run.seconds)


def read_record_times(folder: Path) -> list[float]:
    """Every timed recording call so far (seconds), and start afresh."""
    found = []
    for path in folder.glob("*.txt"):
        found += [float(line) for line in path.read_text().split()]
        path.unlink()
    return found


async def load_round(name: str, cluster: Cluster, cpu: ServerCPU, store: ClassStore | None, args,
                     rng: random.Random, times: Path, keep: list) -> Round:
    """One round of the load, with a class (``store`` given) or without; ``keep`` receives what stays open."""
    result = Round(name, args.students)
    tokens: list[str | None] = [None] * args.students
    class_name = teacher = None
    if store is not None:
        class_name = f"Load {uuid.uuid4().hex[:6]}"
        started = store.create_class(class_name)
        teacher = started.teacher_token
        tokens = [store.enrol(started.code, f"Student {i}").token for i in range(args.students)]
    read_record_times(times)
    go, stop_at, opened = asyncio.Event(), [0.0], []
    tasks = [asyncio.create_task(student(i, cluster.url, tokens[i], class_name, random.Random(rng.random()), args,
                                         go, stop_at, result, opened)) for i in range(args.students)]
    while len(opened) + len(result.errors) < args.students:
        await asyncio.sleep(0.2)
    dashboard = None
    stop_ticks = asyncio.Event()
    ticking = None
    if teacher is not None:
        dashboard = StreamlitClient(cluster.url, timeout=TIMEOUT_S)
        first = await dashboard.open("class", f"teach={teacher}")
        if first.exceptions or not dashboard.auto_reruns:
            result.errors.append(f"dashboard open: {first.exceptions or 'no live refresh'}")
        ticking = asyncio.create_task(teacher_ticks(dashboard, next(iter(dashboard.auto_reruns.values()), 3.0),
                                                    stop_ticks, result))
    await cpu.settle()
    before, began = cpu.seconds(), time.monotonic()
    stop_at[0] = began + args.duration
    go.set()
    await asyncio.gather(*tasks)
    stop_ticks.set()
    if ticking is not None:
        await ticking
    result.seconds = time.monotonic() - began
    result.cpu_s = await cpu.settle() - before
    result.record_calls = read_record_times(times)
    keep.extend(opened)
    if dashboard is not None:
        keep.append(dashboard)
    result.teacher = teacher
    return result


def expected_counts(result: Round) -> dict[str, tuple[int, int, int]]:
    return {lesson: (result.typed[lesson], len(result.answered.get(lesson, ())), len(result.solved.get(lesson, ())))
            for lesson in LESSONS if result.typed[lesson]}


def reported_counts(store: ClassStore, teacher: str) -> dict[str, tuple[int, int, int]]:
    report = store.report(teacher)
    return {lesson: (s.attempts, s.attempted, s.solved) for lesson, s in report.lessons.items() if s.attempts}


async def wait_for_report(store: ClassStore, result: Round, deadline_s: float = 120) -> tuple[dict, dict, float]:
    want = expected_counts(result)
    started = time.monotonic()
    while True:
        got = await asyncio.to_thread(reported_counts, store, result.teacher)
        if got == want or time.monotonic() - started > deadline_s:
            return want, got, time.monotonic() - started
        await asyncio.sleep(0.5)


async def dashboard_cost(cluster: Cluster, cpu: ServerCPU, store: ClassStore, teacher: str, ticks: int) -> dict:
    """CPU of the app processes per dashboard refresh, students connected and idle; and report() in this process."""
    client = StreamlitClient(cluster.url, timeout=TIMEOUT_S)
    first = await client.open("class", f"teach={teacher}")
    shown = next((element.body for kind, element in first.elements if kind == "metric" and element.label == "Students"),
                 None)
    cpu_ms, round_trip_ms, report_ms = [], [], []
    try:
        for _ in range(ticks):
            await asyncio.sleep(2.5)  # past the process's 2 s report reuse: each refresh reads the database
            before = await cpu.settle()
            run = await client.tick()
            after = await cpu.settle()
            if run.exceptions:
                raise RuntimeError(f"dashboard refresh: {run.exceptions}")
            cpu_ms.append(1000 * (after - before))
            round_trip_ms.append(1000 * run.seconds)
        for _ in range(ticks):
            started = time.perf_counter()
            store.report(teacher)
            report_ms.append(1000 * (time.perf_counter() - started))
    finally:
        await client.close()
    return {"students shown": shown, "refreshes": ticks, "CPU ms per refresh, median": statistics.median(cpu_ms),
            "CPU ms per refresh, max": max(cpu_ms), "CPU ms each": [round(v) for v in cpu_ms],
            "round trip ms, median": statistics.median(round_trip_ms),
            "report() in this process ms, median": statistics.median(report_ms)}


async def main_async(args, cluster: Cluster, store: ClassStore, times: Path) -> tuple[list[Round], dict, list[str]]:
    cpu = ServerCPU([r.process.pid for r in cluster.replicas])
    rng = random.Random(args.seed)
    rounds: list[Round] = []
    problems: list[str] = []
    dashboard = {}
    for number in range(args.rounds):
        for name in ("without a class", "with a class"):
            keep: list[StreamlitClient] = []
            print(f"round {number + 1}: {args.students} students {name}, {args.duration:g} s ...", flush=True)
            result = await load_round(name, cluster, cpu, store if name == "with a class" else None, args, rng,
                                      times, keep)
            rounds.append(result)
            print(json.dumps(result.summary()), flush=True)
            if result.errors:
                problems += result.errors[:20]
            if result.teacher is not None:
                want, got, waited = await wait_for_report(store, result)
                exact = want == got
                print(f"report (answers, students who answered, who solved) per lesson: typed {want}, "
                      f"reported {got}, {'exact' if exact else 'NOT EXACT'} ({waited:.1f} s after the load)",
                      flush=True)
                if not exact:
                    problems.append(f"round {number + 1}: the report counts {got}, the students typed {want}")
                if number == args.rounds - 1:
                    dashboard = await dashboard_cost(cluster, cpu, store, result.teacher, args.ticks)
                    print(json.dumps(dashboard), flush=True)
            await asyncio.gather(*(client.close() for client in keep))
            await asyncio.sleep(3)
    return rounds, dashboard, problems


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=60)
    parser.add_argument("--duration", type=float, default=60, help="seconds of load per round (default 60)")
    parser.add_argument("--rounds", type=int, default=1, help="pairs of rounds, without and with a class (default 1)")
    parser.add_argument("--think", type=float, default=2.0, help="mean seconds between a student's actions")
    parser.add_argument("--answer-share", type=float, default=0.15, help="share of actions that type an answer")
    parser.add_argument("--ticks", type=int, default=15, help="dashboard refreshes measured with idle students")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--database", help="a PostgreSQL database the benchmark may add a schema to "
                                           "(default CALC_LAB_TEST_POSTGRES_URL, else the local test database)")
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    server = args.database or os.environ.get("CALC_LAB_TEST_POSTGRES_URL") or LOCAL_URL
    schema = Schema(server)
    hook = Path(tempfile.mkdtemp(prefix="class_load_hook_"))
    times = hook / "times"
    times.mkdir()
    (hook / "sitecustomize.py").write_text(textwrap.dedent(RECORD_TIMER))
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(hook), os.environ.get("PYTHONPATH")]))
    os.environ["CALC_LAB_RECORD_TIMES"] = str(times)
    log = tempfile.NamedTemporaryFile(prefix="class_load_cluster_", suffix=".log", delete=False)
    # Every simulated browser comes from 127.0.0.1, as a class behind one school address does: each round
    # opens ``--students`` sessions (and the dashboard) at once, so the share per address allows several rounds.
    limits = Limits(sessions_per_address=max(Limits().sessions_per_address, 4 * args.students))
    cluster = Cluster(2, free_port(), bind="127.0.0.1", log=log, database=schema.url, limits=limits)
    print(f"database: {redact(schema.url)}; cluster log: {log.name}", flush=True)
    store = ClassStore(schema.url)
    try:
        cluster.start()
        cluster.supervise()
        rounds, dashboard, problems = asyncio.run(main_async(args, cluster, store, times))
    finally:
        cluster.stop()
        store.close()
        schema.drop()
        shutil.rmtree(hook, ignore_errors=True)
    tracebacks = Path(log.name).read_text(errors="replace").count("Traceback")
    by_name: dict[str, list[Round]] = {}
    for result in rounds:
        by_name.setdefault(result.name, []).append(result)
    print("\nsummary (medians over rounds):")
    for name, results in by_name.items():
        p95 = statistics.median(1000 * _percentile(r.moves, 0.95) for r in results)
        record = [c for r in results for c in r.record_calls]
        print(f"  {name}: slider p95 {p95:.0f} ms; recording call p50 {1000 * _percentile(record, 0.5):.2f} ms, "
              f"p95 {1000 * _percentile(record, 0.95):.2f} ms over {len(record)} calls")
    if len(by_name) == 2:
        ratios = [c_.summary()["slider p95 ms"] / n_.summary()["slider p95 ms"]
                  for n_, c_ in zip(by_name["without a class"], by_name["with a class"])]
        print(f"  slider p95 with a class / without: {', '.join(f'{r:.2f}' for r in ratios)} (goal 1.2 or less)")
    if dashboard:
        print(f"  dashboard refresh with {args.students} students: {dashboard['CPU ms per refresh, median']:.0f} ms "
              "of app CPU (median; goal 30 ms or less)")
    print(f"  tracebacks in the cluster log: {tracebacks}")
    if problems:
        print("PROBLEMS:\n  " + "\n  ".join(problems))
        raise SystemExit(1)
    print("every answer counted exactly; no errors")


if __name__ == "__main__":
    main()
