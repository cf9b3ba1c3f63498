"""The class store: classes, students and their answers in SQLite or PostgreSQL.

One :class:`ClassStore` per process (it holds a connection pool); every method
is one short transaction, safe to call from many threads and from several
processes sharing the database.

Notes
-----
SQLite is opened in WAL mode (readers never wait for the writer) with a busy
timeout, and every write transaction starts with ``BEGIN IMMEDIATE``: it takes
the write lock first, so two writers queue for the lock instead of failing
with "database is locked" when one of them tries to upgrade a read. Caps that
count rows (students in a class, classes on the server) are checked inside the
same locked transaction as the insert, so they hold exactly under concurrent
writers: SQLite has one writer at a time, and PostgreSQL locks the class's row
(``SELECT ... FOR UPDATE``) or, for the server-wide class count, an advisory lock.
"""

from __future__ import annotations

import contextlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import MappingProxyType

from alembic import command
from alembic.config import Config
from sqlalchemy import (
    Connection,
    Engine,
    and_,
    create_engine,
    delete,
    event,
    exc,
    func,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import URL
from sqlalchemy.pool import StaticPool

from classroom.config import database_url, engine_url, limits_from_environment
from classroom.errors import (
    ClassClosed,
    ClassFull,
    InvalidInput,
    StoreUnavailable,
    TooManyClasses,
    UnknownClass,
    UnknownStudent,
    WrongTeacherToken,
)
from classroom.limits import MAX_NICKNAME_LENGTH, MAX_WRONG_ANSWERS_LISTED, ClassroomLimits
from classroom.results import (
    ClassReport,
    Enrolment,
    LessonProgress,
    LessonSummary,
    NewClass,
    PurgeResult,
    SharedView,
    Student,
    StudentSummary,
)
from classroom.schema import attempts, classes, progress, students
from classroom.text import (
    answer_key,
    check_attempt_id,
    check_lesson,
    clean_answer,
    clean_class_name,
    clean_nickname,
    clean_shared_view,
    nickname_key,
)
from classroom.tokens import (
    CODE_ALPHABET,
    JOIN_CODE_LENGTH,
    hash_secret,
    new_join_code,
    new_resume_code,
    new_student_id,
    new_token,
    normalize_code,
)

__all__ = ["ClassStore", "new_learner"]

#: Where the Alembic environment and versions live.
MIGRATIONS = Path(__file__).with_name("migrations")
#: Seconds an SQLite writer waits for another process's write lock before giving up (StoreUnavailable).
SQLITE_BUSY_TIMEOUT = 10.0
#: Seconds to wait for a PostgreSQL connection (server down: StoreUnavailable after this).
POSTGRES_CONNECT_TIMEOUT = 5
#: Connections one process keeps open to PostgreSQL, and how many more it may open at a peak.
POOL_SIZE = 5
POOL_OVERFLOW = 5
#: Seconds a call waits for a free pooled connection when all are busy (StoreUnavailable after this).
POOL_TIMEOUT = 10.0
#: Keys of PostgreSQL advisory locks: migrating the schema, and counting the classes on the server.
_MIGRATION_LOCK = 0x43414C43
_CLASSES_LOCK = 0x43414C44
#: Fresh join codes tried before giving up (a collision needs a live class with the same random code).
_CODE_TRIES = 20
#: The name an empty nickname gets, numbered ("Student 1").
ANONYMOUS_NICKNAME = "Student"
#: Longest secret looked up; anything longer cannot be one and is refused unhashed.
_MAX_SECRET_LENGTH = 128
#: Expired classes deleted per transaction by purge_expired, so that the write lock is held briefly.
_PURGE_BATCH = 100


def new_learner() -> Enrolment:
    """A learner's id and secrets outside any class, drawn before :meth:`ClassStore.start_learner` stores them."""
    return Enrolment(student_id=new_student_id(), token=new_token(), resume_code=new_resume_code(), nickname=None,
                     class_code=None)


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.replace(tzinfo=UTC)


class ClassStore:
    """Classes, students and their answers, in the database ``url`` names.

    Parameters
    ----------
    url : str or sqlalchemy.engine.URL, optional
        An SQLAlchemy URL: ``sqlite:///path/to/file.sqlite3`` or ``postgresql://user:password@host/db``
        (psycopg 3). Default: :func:`classroom.config.database_url` (``CALC_LAB_DATABASE_URL``, else an
        SQLite file in the data directory, created on first use).
    limits : ClassroomLimits, optional
        Caps and retention periods; default the constants of :mod:`classroom.limits`, with the class
        retention from ``CALC_LAB_CLASS_RETENTION_DAYS`` when it is set.
    clock : callable, optional
        Returns the current time as an aware datetime (tests move it forward); default the system clock.

    Raises
    ------
    StoreUnavailable
        The database cannot be reached (or stays locked) while the schema is created or upgraded.

    Notes
    -----
    The constructor creates the schema in an empty database, or upgrades it to
    the newest Alembic revision, holding a lock so that several processes
    starting at once migrate it once.

    Examples
    --------
    >>> store = ClassStore("sqlite://")
    >>> new = store.create_class("Period 3")
    >>> sid = store.join(new.code, "Ada")
    >>> store.record_attempt(sid, "derivatives", "3x^2 - 4x", True).solved
    True
    >>> store.report(new.teacher_token).lessons["derivatives"].solved
    1
    """

    def __init__(
        self,
        url: str | URL | None = None,
        *,
        limits: ClassroomLimits | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.url = engine_url(database_url() if url is None else url)
        self.limits = limits_from_environment() if limits is None else limits
        self._clock = _utcnow if clock is None else clock
        self._engine = _create_engine(self.url)
        self._writer = self._engine.execution_options(classroom_write=True)
        self._migrate()

    # --- lifecycle ----------------------------------------------------------------------------------------------------

    @property
    def backend(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self.url.get_backend_name()

    def close(self) -> None:
        """Close every pooled connection (the store can still be used; it reconnects)."""
        self._engine.dispose()

    def __enter__(self) -> ClassStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"ClassStore({self.url.render_as_string(hide_password=True)!r})"

    def _now(self) -> datetime:
        return self._clock().astimezone(UTC).replace(tzinfo=None)

    def _migrate(self) -> None:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with self._write() as conn:
            if self.backend == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
            config.attributes["connection"] = conn
            command.upgrade(config, "head")

    @contextlib.contextmanager
    def _write(self) -> Iterator[Connection]:
        """A write transaction (on SQLite, ``BEGIN IMMEDIATE``): committed on success, rolled back on any error."""
        with _unavailable_as_error(), self._writer.begin() as conn:
            yield conn

    @contextlib.contextmanager
    def _read(self) -> Iterator[Connection]:
        """A read transaction seeing one snapshot of the database for all its queries."""
        with _unavailable_as_error(), self._engine.connect() as conn:
            if self.backend == "postgresql":
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                yield conn

    # --- classes ------------------------------------------------------------------------------------------------------

    def create_class(self, name: str = "") -> NewClass:
        """Start a class: a fresh join code and teacher token.

        Parameters
        ----------
        name : str
            What the teacher calls it ("Period 3"); cleaned like a nickname, up to
            ``MAX_CLASS_NAME_LENGTH`` characters. Empty: "Class CODE".

        Returns
        -------
        NewClass
            With ``code`` and ``teacher_token`` (shown to the teacher once; only its hash is kept).

        Raises
        ------
        InvalidInput
            For a name with control characters or too long.
        TooManyClasses
            When the server holds ``limits.classes`` classes, or ``limits.new_classes_per_hour``
            were started within the last hour.
        """
        clean = clean_class_name(name)
        token = new_token()
        for _ in range(_CODE_TRIES):
            code = new_join_code()
            now = self._now()
            try:
                with self._write() as conn:
                    self._check_room_for_a_class(conn, now)
                    conn.execute(
                        insert(classes).values(
                            code=code,
                            name=clean or f"Class {code}",
                            teacher_token_hash=hash_secret(token),
                            created_at=now,
                            expires_at=now + self.limits.class_retention,
                        )
                    )
            except exc.IntegrityError:
                continue  # another class has this code: draw again
            return NewClass(
                code=code,
                teacher_token=token,
                name=clean or f"Class {code}",
                created_at=_aware(now),
                expires_at=_aware(now + self.limits.class_retention),
            )
        raise TooManyClasses("No free join code was found; please try again in a moment.")

    def _check_room_for_a_class(self, conn: Connection, now: datetime) -> None:
        if self.backend == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CLASSES_LOCK})
        live = conn.execute(select(func.count()).select_from(classes).where(classes.c.expires_at > now)).scalar_one()
        if live >= self.limits.classes:
            raise TooManyClasses(
                f"This server already holds {live} classes, as many as it can; please try again another day."
            )
        recent = conn.execute(
            select(func.count()).select_from(classes).where(classes.c.created_at > now - timedelta(hours=1))
        ).scalar_one()
        if recent >= self.limits.new_classes_per_hour:
            raise TooManyClasses(f"{recent} classes were started within the last hour; please try again later.")

    def close_class(self, teacher_token: str) -> None:
        """Close the class: nobody joins and no answer is recorded any more; the dashboard stays readable.

        Raises
        ------
        WrongTeacherToken
            No live class has this teacher token.
        """
        self._set_closed(teacher_token, closed=True)

    def reopen_class(self, teacher_token: str) -> None:
        """Open a closed class again (joins and answers are accepted again)."""
        self._set_closed(teacher_token, closed=False)

    def _set_closed(self, teacher_token: str, *, closed: bool) -> None:
        with self._write() as conn:
            class_id = self._teacher_class(conn, teacher_token).id
            conn.execute(
                update(classes).where(classes.c.id == class_id).values(closed_at=self._now() if closed else None)
            )

    def delete_class(self, teacher_token: str) -> None:
        """Delete the class and everything recorded in it, now: students, their progress and answers.

        Raises
        ------
        WrongTeacherToken
            No live class has this teacher token (for instance, it was deleted already).
        """
        with self._write() as conn:
            _delete_classes(conn, [self._teacher_class(conn, teacher_token).id])

    def share_view(self, teacher_token: str, view: str | None) -> SharedView | None:
        """Send a view to the class (students see a banner linking to it), or stop sending one (``view=None``).

        Parameters
        ----------
        teacher_token : str
            The class's teacher token.
        view : str or None
            A path inside the app with its query, such as ``"/derivatives?deriv_f=x^2"``
            (see :func:`classroom.text.clean_shared_view`).

        Returns
        -------
        SharedView or None
            What students now see.

        Raises
        ------
        WrongTeacherToken, InvalidInput
        """
        clean = None if view is None else clean_shared_view(view)
        now = self._now()
        with self._write() as conn:
            class_id = self._teacher_class(conn, teacher_token).id
            conn.execute(
                update(classes)
                .where(classes.c.id == class_id)
                .values(shared_view=clean, shared_view_at=None if clean is None else now)
            )
        return None if clean is None else SharedView(view=clean, shared_at=_aware(now))

    def remove_student(self, teacher_token: str, student_id: str) -> None:
        """Remove one student from the class, with their progress and answers (an unwanted nickname, say).

        Raises
        ------
        WrongTeacherToken
            No live class has this teacher token.
        UnknownStudent
            The class has no such student.
        """
        with self._write() as conn:
            class_id = self._teacher_class(conn, teacher_token).id
            query = select(students.c.id).where(
                students.c.class_id == class_id, students.c.public_id == _bounded(student_id)
            )
            pk = conn.execute(query).scalar_one_or_none()
            if pk is None:
                raise UnknownStudent("This class has no such student.")
            _delete_students(conn, [pk])

    def _teacher_class(self, conn: Connection, teacher_token: str):
        secret = _bounded(teacher_token)
        row = None
        if secret:
            row = conn.execute(
                select(classes).where(
                    classes.c.teacher_token_hash == hash_secret(secret), classes.c.expires_at > self._now()
                )
            ).first()
        if row is None:
            raise WrongTeacherToken(
                "This teacher link does not open any class: it is mistyped, or its class was deleted or has expired."
            )
        return row

    # --- students -----------------------------------------------------------------------------------------------------

    def join(self, code: str, nickname: str | None = "") -> str:
        """Join a class; the student's id. Same as :meth:`enrol` without the secrets the browser keeps.

        Raises
        ------
        UnknownClass, ClassFull, ClassClosed, InvalidInput
            As :meth:`enrol`.
        """
        return self.enrol(code, nickname).student_id

    def enrol(self, code: str, nickname: str | None = "") -> Enrolment:
        """Join the class whose join code is ``code``, as ``nickname``.

        Parameters
        ----------
        code : str
            The join code as typed (case, spaces and dashes do not matter).
        nickname : str or None
            Shown to the teacher. Cleaned by :func:`classroom.text.clean_nickname` (at most
            ``MAX_NICKNAME_LENGTH`` characters, no control characters). Empty or None: an anonymous
            "Student N". A nickname already taken in the class (ignoring case and spacing) gets the
            first free number: "Ada 2".

        Returns
        -------
        Enrolment
            The student id, the browser's token and the resume code (only their hashes are kept).

        Raises
        ------
        InvalidInput
            The nickname cannot be used (the message says why).
        UnknownClass
            No live class has this code.
        ClassClosed
            The teacher closed the class.
        ClassFull
            The class has ``limits.students_per_class`` students already.
        """
        wanted = clean_nickname("" if nickname is None else nickname)
        typed = normalize_code(code) if isinstance(code, str) else ""
        if len(typed) != JOIN_CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in typed):
            raise UnknownClass(
                f"A class code is {JOIN_CODE_LENGTH} letters, such as KQWHTZ; please check it with your teacher."
            )
        token, resume_code, student_id = new_token(), new_resume_code(), new_student_id()
        now = self._now()
        with self._write() as conn:
            row = conn.execute(
                select(classes.c.id, classes.c.closed_at)
                .where(classes.c.code == typed, classes.c.expires_at > now)
                .with_for_update()
            ).first()
            if row is None:
                raise UnknownClass(f"No class has the code {typed}; please check it with your teacher.")
            if row.closed_at is not None:
                raise ClassClosed("This class is closed: the teacher no longer takes new students.")
            taken = set(conn.execute(select(students.c.nickname_key).where(students.c.class_id == row.id)).scalars())
            if len(taken) >= self.limits.students_per_class:
                raise ClassFull(f"This class is full: it has {len(taken)} students, as many as one class can have.")
            given = _free_nickname(wanted, taken)
            conn.execute(
                insert(students).values(
                    public_id=student_id,
                    class_id=row.id,
                    nickname=given,
                    nickname_key=nickname_key(given),
                    token_hash=hash_secret(token),
                    resume_hash=hash_secret(normalize_code(resume_code)),
                    joined_at=now,
                    last_seen_at=now,
                )
            )
        return Enrolment(student_id=student_id, token=token, resume_code=resume_code, nickname=given, class_code=typed)

    def start_learner(self, enrolment: Enrolment | None = None) -> Enrolment:
        """A learner outside any class, so that their progress outlives the browser tab.

        Forgotten ``limits.learner_retention`` after their last answer or visit.

        Parameters
        ----------
        enrolment : Enrolment, optional
            The learner's id and secrets, drawn beforehand with :func:`new_learner` (so that the browser
            can keep them before the database has answered); calling again with the same one after
            :class:`StoreUnavailable` changes nothing. Default: drawn here.
        """
        new = new_learner() if enrolment is None else enrolment
        if not (_bounded(new.student_id) and _bounded(new.token) and _bounded(new.resume_code)):
            raise UnknownStudent("This learner's id or secrets are not ones this store draws.")
        now = self._now()
        try:
            with self._write() as conn:
                conn.execute(
                    insert(students).values(
                        public_id=new.student_id,
                        class_id=None,
                        nickname=None,
                        nickname_key=None,
                        token_hash=hash_secret(new.token),
                        resume_hash=hash_secret(normalize_code(new.resume_code)),
                        joined_at=now,
                        last_seen_at=now,
                    )
                )
        except exc.IntegrityError:
            with self._read() as conn:  # a retry of a call that was committed: the same learner is there
                same = conn.execute(
                    select(students.c.id).where(
                        students.c.public_id == new.student_id, students.c.token_hash == hash_secret(new.token)
                    )
                ).first()
            if same is None:
                raise InvalidInput("This learner id is taken by another learner.") from None
        return new

    def resume(self, secret: str) -> Student:
        """The learner whose browser token or resume code this is (a reload, another device); marks a visit.

        Raises
        ------
        UnknownStudent
            No learner has this secret (mistyped, or the class was deleted or has expired).
        """
        secret = _bounded(secret)
        candidates = {secret, normalize_code(secret)} - {""}
        if not candidates:
            raise UnknownStudent("This resume code is not known.")
        hashes = [hash_secret(candidate) for candidate in candidates]
        now = self._now()
        with self._write() as conn:
            pk = conn.execute(
                select(students.c.id).where(or_(students.c.token_hash.in_(hashes), students.c.resume_hash.in_(hashes)))
            ).scalar_one_or_none()
            found = None if pk is None else self._student_row(conn, students.c.id == pk)
            if found is None:
                raise UnknownStudent(
                    "This resume code is not known: it is mistyped, or its class was deleted or has expired."
                )
            conn.execute(update(students).where(students.c.id == pk).values(last_seen_at=now))
        return found

    def renew_resume_code(self, student_id: str) -> str:
        """A fresh resume code for this learner (to continue on another device); the previous one stops working.

        Only its hash is kept, so a code is shown once; a learner who lost it asks for a new one.

        Raises
        ------
        UnknownStudent
            No such learner (or their class was deleted or has expired).
        """
        code = new_resume_code()
        with self._write() as conn:
            found = self._student_row(conn, students.c.public_id == _bounded(student_id))
            if found is None:
                raise UnknownStudent("This student is not known, or their class was deleted or has expired.")
            conn.execute(
                update(students)
                .where(students.c.public_id == student_id)
                .values(resume_hash=hash_secret(normalize_code(code)), last_seen_at=self._now())
            )
        return code

    def student(self, student_id: str) -> Student:
        """The learner with this id, their class and the view the teacher sent (a cheap read, for polling).

        Raises
        ------
        UnknownStudent
            No such learner (or their class was deleted or has expired).
        """
        with self._read() as conn:
            found = self._student_row(conn, students.c.public_id == _bounded(student_id))
        if found is None:
            raise UnknownStudent("This student is not known, or their class was deleted or has expired.")
        return found

    def _student_row(self, conn: Connection, condition) -> Student | None:
        row = conn.execute(
            select(
                students.c.public_id,
                students.c.nickname,
                students.c.class_id,
                classes.c.code,
                classes.c.name,
                classes.c.closed_at,
                classes.c.expires_at,
                classes.c.shared_view,
                classes.c.shared_view_at,
            )
            .select_from(students.outerjoin(classes, students.c.class_id == classes.c.id))
            .where(condition)
        ).first()
        if row is None or (row.class_id is not None and (row.code is None or row.expires_at <= self._now())):
            return None
        shared = None if row.shared_view is None else SharedView(row.shared_view, _aware(row.shared_view_at))
        return Student(
            student_id=row.public_id,
            nickname=row.nickname,
            class_code=row.code,
            class_name=row.name,
            class_closed=row.closed_at is not None,
            shared_view=shared,
        )

    def record_attempt(
        self,
        student_id: str,
        lesson_slug: str,
        answer_text: str,
        correct: bool,
        attempt_id: str | None = None,
    ) -> LessonProgress:
        """Record one checked answer to a lesson's task.

        Call it once per checked answer (not on every rerun). The answer is kept
        as typed (control characters dropped, cut to ``MAX_ANSWER_LENGTH``); the
        latest ``limits.attempts_kept`` answers per student and lesson are kept,
        while the counts stay exact.

        Parameters
        ----------
        student_id : str
            From :meth:`join`, :meth:`enrol`, :meth:`start_learner` or :meth:`resume`.
        lesson_slug : str
            The lesson's URL path (``"derivatives"``).
        answer_text : str
            The answer as typed.
        correct : bool
            The checker's verdict.
        attempt_id : str, optional
            The caller's id for this checked answer (``uuid.uuid4().hex``: letters, digits, ``-`` and ``_``,
            at most 64). Recording the same id again for the student changes nothing, so a call that
            failed with :class:`StoreUnavailable` after the database may have committed can be retried
            without counting the answer twice.

        Returns
        -------
        LessonProgress
            The student's record on this lesson, this answer included.

        Raises
        ------
        UnknownStudent
            No such learner (or their class was deleted or has expired).
        ClassClosed
            The teacher closed the class.
        InvalidInput
            The lesson's slug or the attempt id is not one.
        StoreUnavailable
            The database did not answer; nothing was recorded.
        """
        lesson = check_lesson(lesson_slug)
        answer = clean_answer(answer_text)
        correct = bool(correct)
        retry_key = None if attempt_id is None else check_attempt_id(attempt_id)
        now = self._now()
        try:
            with self._write() as conn:
                row = conn.execute(
                    select(students.c.id, students.c.class_id, classes.c.closed_at, classes.c.expires_at)
                    .select_from(students.outerjoin(classes, students.c.class_id == classes.c.id))
                    .where(students.c.public_id == _bounded(student_id))
                ).first()
                if row is None or (row.class_id is not None and (row.expires_at is None or row.expires_at <= now)):
                    raise UnknownStudent("This student is not known, or their class was deleted or has expired.")
                if row.closed_at is not None:
                    raise ClassClosed("This class is closed: answers are no longer sent to the teacher.")
                if retry_key is not None and _recorded(conn, row.id, retry_key):
                    return _lesson_progress(conn, row.id, lesson)
                conn.execute(
                    insert(attempts).values(
                        student_id=row.id,
                        lesson=lesson,
                        answer=answer,
                        answer_key=answer_key(answer),
                        correct=correct,
                        created_at=now,
                        attempt_id=retry_key,
                    )
                )
                count, solved, first_try = conn.execute(self._progress_upsert(row.id, lesson, correct, now)).one()
                if count > self.limits.attempts_kept:
                    kept = (
                        select(attempts.c.id)
                        .where(attempts.c.student_id == row.id, attempts.c.lesson == lesson)
                        .order_by(attempts.c.id.desc())
                        .limit(self.limits.attempts_kept)
                    )
                    conn.execute(
                        delete(attempts).where(
                            attempts.c.student_id == row.id,
                            attempts.c.lesson == lesson,
                            attempts.c.id.not_in(kept.scalar_subquery()),
                        )
                    )
                conn.execute(update(students).where(students.c.id == row.id).values(last_seen_at=now))
        except exc.IntegrityError as error:
            # On PostgreSQL, a concurrent call recorded the same attempt id first, or the class was
            # deleted between the lookup and the insert (SQLite has one writer at a time: neither happens).
            if retry_key is not None:
                with self._read() as conn:
                    if _recorded(conn, row.id, retry_key):
                        return _lesson_progress(conn, row.id, lesson)
            raise UnknownStudent("This student is not known, or their class was deleted or has expired.") from error
        return LessonProgress(lesson=lesson, attempts=count, solved=bool(solved), solved_first_try=bool(first_try))

    def _progress_upsert(self, student_pk: int, lesson: str, correct: bool, now: datetime):
        dialect_insert = postgresql_insert if self.backend == "postgresql" else sqlite_insert
        new = dialect_insert(progress).values(
            student_id=student_pk,
            lesson=lesson,
            attempts=1,
            solved=correct,
            solved_first_try=correct,
            first_at=now,
            last_at=now,
            solved_at=now if correct else None,
        )
        return new.on_conflict_do_update(
            index_elements=[progress.c.student_id, progress.c.lesson],
            set_={
                "attempts": progress.c.attempts + 1,
                "solved": or_(progress.c.solved, new.excluded.solved),
                "last_at": new.excluded.last_at,
                "solved_at": func.coalesce(progress.c.solved_at, new.excluded.solved_at),
            },
        ).returning(progress.c.attempts, progress.c.solved, progress.c.solved_first_try)

    def progress(self, student_id: str) -> dict[str, LessonProgress]:
        """One learner's record per lesson (only lessons they answered), for the home page.

        Raises
        ------
        UnknownStudent
            No such learner (or their class was deleted or has expired).
        """
        with self._read() as conn:
            if self._student_row(conn, students.c.public_id == _bounded(student_id)) is None:
                raise UnknownStudent("This student is not known, or their class was deleted or has expired.")
            rows = conn.execute(
                select(progress.c.lesson, progress.c.attempts, progress.c.solved, progress.c.solved_first_try)
                .join(students, students.c.id == progress.c.student_id)
                .where(students.c.public_id == student_id)
                .order_by(progress.c.lesson)
            ).all()
        return {
            row.lesson: LessonProgress(row.lesson, row.attempts, bool(row.solved), bool(row.solved_first_try))
            for row in rows
        }

    # --- the teacher's dashboard --------------------------------------------------------------------------------------

    def report(
        self,
        teacher_token: str,
        lessons: Iterable[str] = (),
        wrong_answers: int = MAX_WRONG_ANSWERS_LISTED,
    ) -> ClassReport:
        """The teacher's dashboard: who joined, and per lesson who attempted and solved, and the wrong answers.

        Parameters
        ----------
        teacher_token : str
            The class's teacher token.
        lessons : iterable of str
            Lessons to include even with no answer yet (with zeros), such as every lesson of the course.
        wrong_answers : int
            The most common wrong answers listed per lesson.

        Returns
        -------
        ClassReport
            Read in one snapshot. Its cost grows with the class's students and distinct answers, never with how
            often anyone reran a page.

        Raises
        ------
        WrongTeacherToken
            No live class has this teacher token; nothing of any class is returned.
        """
        wanted = [check_lesson(slug) for slug in ((lessons,) if isinstance(lessons, str) else lessons)]
        with self._read() as conn:
            cls = self._teacher_class(conn, teacher_token)
            members = conn.execute(
                select(
                    students.c.id,
                    students.c.public_id,
                    students.c.nickname,
                    students.c.joined_at,
                    students.c.last_seen_at,
                )
                .where(students.c.class_id == cls.id)
                .order_by(students.c.joined_at, students.c.id)
            ).all()
            records = conn.execute(
                select(
                    progress.c.student_id,
                    progress.c.lesson,
                    progress.c.attempts,
                    progress.c.solved,
                    progress.c.solved_first_try,
                )
                .join(students, students.c.id == progress.c.student_id)
                .where(students.c.class_id == cls.id)
            ).all()
            wrong = _wrong_answers(conn, cls.id)
        attempted, solved = defaultdict(set), defaultdict(set)
        totals = defaultdict(Counter)
        for record in records:
            attempted[record.student_id].add(record.lesson)
            totals[record.lesson].update(attempted=1, attempts=record.attempts)
            if record.solved:
                solved[record.student_id].add(record.lesson)
                totals[record.lesson].update(solved=1)
            if record.solved_first_try:
                totals[record.lesson].update(solved_first_try=1)
        summaries = {
            lesson: LessonSummary(
                lesson=lesson,
                attempted=totals[lesson]["attempted"],
                solved=totals[lesson]["solved"],
                solved_first_try=totals[lesson]["solved_first_try"],
                attempts=totals[lesson]["attempts"],
                wrong_answers=wrong.get(lesson, [])[: max(0, wrong_answers)],
            )
            for lesson in sorted(set(totals) | set(wanted))
        }
        shared = None if cls.shared_view is None else SharedView(cls.shared_view, _aware(cls.shared_view_at))
        return ClassReport(
            code=cls.code,
            name=cls.name,
            created_at=_aware(cls.created_at),
            expires_at=_aware(cls.expires_at),
            closed=cls.closed_at is not None,
            shared_view=shared,
            students=tuple(
                StudentSummary(
                    student_id=member.public_id,
                    nickname=member.nickname,
                    joined_at=_aware(member.joined_at),
                    last_seen_at=_aware(member.last_seen_at),
                    attempted=frozenset(attempted[member.id]),
                    solved=frozenset(solved[member.id]),
                )
                for member in members
            ),
            lessons=MappingProxyType(summaries),
        )

    # --- retention ----------------------------------------------------------------------------------------------------

    def purge_expired(self) -> PurgeResult:
        """Delete expired classes with everything recorded in them, and learners idle beyond their retention.

        Runs in short transactions of at most ``_PURGE_BATCH`` classes. Meant for a background timer
        (every few minutes), never a visitor's rerun; expired data is invisible before it is purged.
        """
        deleted_classes = deleted_learners = 0
        while True:
            now = self._now()
            with self._write() as conn:
                expired = (
                    conn.execute(select(classes.c.id).where(classes.c.expires_at <= now).limit(_PURGE_BATCH))
                    .scalars()
                    .all()
                )
                purged = _delete_classes(conn, expired)
                idle = (
                    conn.execute(
                        select(students.c.id)
                        .where(
                            students.c.class_id.is_(None),
                            students.c.last_seen_at <= now - self.limits.learner_retention,
                        )
                        .limit(_PURGE_BATCH * 10)
                    )
                    .scalars()
                    .all()
                )
                forgotten = _delete_students(conn, idle)
            deleted_classes += purged
            deleted_learners += forgotten
            if len(expired) < _PURGE_BATCH and len(idle) < _PURGE_BATCH * 10:
                return PurgeResult(classes=deleted_classes, learners=deleted_learners)


# --- helpers ----------------------------------------------------------------------------------------------------------


def _create_engine(url: URL) -> Engine:
    if url.get_backend_name() == "postgresql":
        return create_engine(
            url,
            pool_pre_ping=True,
            pool_size=POOL_SIZE,
            max_overflow=POOL_OVERFLOW,
            pool_timeout=POOL_TIMEOUT,
            connect_args={"connect_timeout": POSTGRES_CONNECT_TIMEOUT},
        )
    in_memory = url.database in (None, "", ":memory:")
    if not in_memory:
        Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    engine = create_engine(
        url,
        connect_args={"timeout": SQLITE_BUSY_TIMEOUT, "check_same_thread": False},
        **({"poolclass": StaticPool} if in_memory else {}),
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # Transactions are begun below, not by the sqlite3 module (which would begin them DEFERRED).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_TIMEOUT * 1000)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("classroom_write") else "BEGIN")

    return engine


@contextlib.contextmanager
def _unavailable_as_error() -> Iterator[None]:
    try:
        yield
    except (exc.OperationalError, exc.InterfaceError, exc.TimeoutError) as error:
        raise StoreUnavailable(
            "The class database is not answering right now; nothing was lost. Please try again in a moment."
        ) from error
    except exc.DBAPIError as error:
        if error.connection_invalidated:
            raise StoreUnavailable(
                "The connection to the class database was lost; nothing was lost. Please try again in a moment."
            ) from error
        raise


def _bounded(secret: object) -> str:
    """A secret or id as given, or ``""`` when it cannot be one (not text, or absurdly long)."""
    return secret if isinstance(secret, str) and len(secret) <= _MAX_SECRET_LENGTH else ""


def _free_nickname(wanted: str, taken: set[str]) -> str:
    """``wanted``, or with the first free number ("Ada 2"); an empty one becomes "Student N"."""
    base = wanted or ANONYMOUS_NICKNAME
    if wanted and nickname_key(wanted) not in taken:
        return wanted
    number = 1 if not wanted else 2
    while True:
        suffix = f" {number}"
        candidate = base[: MAX_NICKNAME_LENGTH - len(suffix)].rstrip() + suffix
        if nickname_key(candidate) not in taken:
            return candidate
        number += 1


def _wrong_answers(conn: Connection, class_id: int) -> dict[str, list[tuple[str, int]]]:
    """Per lesson, ``[(answer, students)]`` over the class's kept wrong answers, most common first."""
    in_class = and_(students.c.class_id == class_id, attempts.c.correct.is_(False))
    joined = attempts.join(students, students.c.id == attempts.c.student_id)
    counts = conn.execute(
        select(attempts.c.lesson, attempts.c.answer_key, func.count(attempts.c.student_id.distinct()))
        .select_from(joined)
        .where(in_class)
        .group_by(attempts.c.lesson, attempts.c.answer_key)
    ).all()
    forms = conn.execute(
        select(attempts.c.lesson, attempts.c.answer_key, attempts.c.answer, func.count())
        .select_from(joined)
        .where(in_class)
        .group_by(attempts.c.lesson, attempts.c.answer_key, attempts.c.answer)
    ).all()
    shown = {}
    for lesson, key, answer, _times in sorted(forms, key=lambda form: (-form[3], form[2])):
        shown.setdefault((lesson, key), answer)
    by_lesson = defaultdict(list)
    for lesson, key, count in counts:
        by_lesson[lesson].append((shown[(lesson, key)], count))
    return {lesson: sorted(answers, key=lambda pair: (-pair[1], pair[0])) for lesson, answers in by_lesson.items()}


def _recorded(conn: Connection, student_pk: int, attempt_id: str) -> bool:
    """True when the student already has an answer recorded with this attempt id."""
    query = select(attempts.c.id).where(attempts.c.student_id == student_pk, attempts.c.attempt_id == attempt_id)
    return conn.execute(query).first() is not None


def _lesson_progress(conn: Connection, student_pk: int, lesson: str) -> LessonProgress:
    row = conn.execute(
        select(progress.c.attempts, progress.c.solved, progress.c.solved_first_try).where(
            progress.c.student_id == student_pk, progress.c.lesson == lesson
        )
    ).first()
    if row is None:
        return LessonProgress(lesson=lesson, attempts=0, solved=False, solved_first_try=False)
    return LessonProgress(lesson, row.attempts, bool(row.solved), bool(row.solved_first_try))


def _delete_students(conn: Connection, student_pks: list[int]) -> int:
    """Delete these students with their progress and answers; how many students were deleted."""
    if not student_pks:
        return 0
    conn.execute(delete(attempts).where(attempts.c.student_id.in_(student_pks)))
    conn.execute(delete(progress).where(progress.c.student_id.in_(student_pks)))
    return conn.execute(delete(students).where(students.c.id.in_(student_pks))).rowcount


def _delete_classes(conn: Connection, class_ids: list[int]) -> int:
    """Delete these classes with their students, progress and answers; how many classes were deleted."""
    if not class_ids:
        return 0
    members = select(students.c.id).where(students.c.class_id.in_(class_ids))
    conn.execute(delete(attempts).where(attempts.c.student_id.in_(members)))
    conn.execute(delete(progress).where(progress.c.student_id.in_(members)))
    conn.execute(delete(students).where(students.c.class_id.in_(class_ids)))
    return conn.execute(delete(classes).where(classes.c.id.in_(class_ids))).rowcount
