"""The one parallel executor of fleet planning: serial, local process pool or Dask cluster.

:func:`parallel_map` is ``[fn(t) for t in tasks]`` on the chosen backend, results in task order
whatever the completion order. Task functions must be module-level (picklable) for the "local"
and "dask" backends, and must draw their randomness from their own task (a spawned
``SeedSequence``) so every backend gives identical numbers.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from ..errors import InputError

T = TypeVar("T")
R = TypeVar("R")

#: Backend names accepted by :func:`parallel_map`: in-process, ``ProcessPoolExecutor``, Dask.
BACKENDS = ("serial", "local", "dask")

#: ``runner(fn, tasks, done, client, max_workers, shared)`` calls ``done(index, result)`` per
#: task; ``fn(task)``, or ``fn(task, shared)`` when ``shared`` is not :data:`NO_SHARED`.
_Runner = Callable[
    [Callable[..., Any], Sequence[Any], Callable[[int, Any], None], Any, "int | None", Any],
    None,
]

#: The ``shared`` value meaning "no shared argument": tasks are called as ``fn(task)``.
NO_SHARED: Any = object()

#: The shared argument of the tasks run by this worker process (local pool).
_WORKER_SHARED: Any = NO_SHARED


def _set_worker_shared(shared: Any) -> None:
    global _WORKER_SHARED
    _WORKER_SHARED = shared


def _call_with_worker_shared(fn: Callable[..., Any], task: Any) -> Any:
    return fn(task, _WORKER_SHARED)


def _call(fn: Callable[..., Any], task: Any, shared: Any) -> Any:
    return fn(task) if shared is NO_SHARED else fn(task, shared)


def _run_serial(
    fn: Callable[..., Any],
    tasks: Sequence[Any],
    done: Callable[[int, Any], None],
    client: Any,
    max_workers: int | None,
    shared: Any,
) -> None:
    for i, t in enumerate(tasks):
        done(i, _call(fn, t, shared))


def _run_local(
    fn: Callable[..., Any],
    tasks: Sequence[Any],
    done: Callable[[int, Any], None],
    client: Any,
    max_workers: int | None,
    shared: Any,
) -> None:
    from concurrent.futures import ProcessPoolExecutor, as_completed

    if shared is NO_SHARED:
        pool = ProcessPoolExecutor(max_workers=max_workers)
    else:  # the shared argument is sent once per worker process, not once per task
        pool = ProcessPoolExecutor(
            max_workers=max_workers, initializer=_set_worker_shared, initargs=(shared,)
        )
    with pool:
        if shared is NO_SHARED:
            futs = {pool.submit(fn, t): i for i, t in enumerate(tasks)}
        else:
            futs = {pool.submit(_call_with_worker_shared, fn, t): i for i, t in enumerate(tasks)}
        for f in as_completed(futs):
            done(futs[f], f.result())


def _run_dask(
    fn: Callable[..., Any],
    tasks: Sequence[Any],
    done: Callable[[int, Any], None],
    client: Any,
    max_workers: int | None,
    shared: Any,
) -> None:
    import distributed

    completed: Any = distributed.as_completed  # untyped in distributed
    if shared is NO_SHARED:
        dfuts = client.map(fn, list(tasks), pure=False)
    else:  # scattered once to every worker; each task gets the worker's copy
        held = client.scatter(shared, broadcast=True, hash=False)
        dfuts = client.map(fn, list(tasks), [held] * len(tasks), pure=False)
    index = {f.key: i for i, f in enumerate(dfuts)}
    for f in completed(dfuts):
        done(index[f.key], f.result())


_RUNNERS: dict[str, _Runner] = {"serial": _run_serial, "local": _run_local, "dask": _run_dask}


def check_backend(backend: str, client: Any = None) -> None:
    """InputError naming ``backend`` (unknown name) or ``client`` (Dask without a client)."""
    if backend not in BACKENDS:
        raise InputError(
            f"backend: unknown backend {backend!r} (expected one of {', '.join(BACKENDS)})"
        )
    if backend == "dask" and client is None:
        raise InputError("client: backend='dask' needs a dask.distributed Client")


def parallel_map(
    fn: Callable[..., R],
    tasks: Sequence[T],
    backend: str = "serial",
    client: Any = None,
    max_workers: int | None = None,
    progress: bool | None = None,
    desc: str = "tasks",
    shared: Any = NO_SHARED,
) -> list[R]:
    """``[fn(t) for t in tasks]`` serially ("serial"), on a local process pool ("local",
    ``max_workers`` processes) or on a Dask cluster ("dask", ``client`` a
    ``dask.distributed.Client``), in task order whatever the completion order. A tqdm bar is
    shown when stderr is a terminal (``progress`` forces it on or off). With ``shared`` (e.g. a
    fitted model that every task reads) the calls are ``fn(t, shared)`` and ``shared`` is sent
    once per worker (pool initializer, Dask scatter) instead of inside every task."""
    from tqdm.auto import tqdm

    check_backend(backend, client)
    disable = (not sys.stderr.isatty()) if progress is None else not progress
    bar = tqdm(total=len(tasks), desc=desc, disable=disable, leave=False)
    results: dict[int, R] = {}

    def done(i: int, result: Any) -> None:
        results[i] = result
        bar.update()

    try:
        _RUNNERS[backend](fn, tasks, done, client, max_workers, shared)
    finally:
        bar.close()
    return [results[i] for i in range(len(tasks))]


#: Seconds to wait for a Dask scheduler before giving up with an InputError.
SCHEDULER_TIMEOUT_S = 10.0


@contextmanager
def dask_client(scheduler: str | None = None, timeout_s: float | None = None) -> Iterator[Any]:
    """A ``dask.distributed.Client`` of the scheduler at ``scheduler`` or, when None, of a new
    local cluster of worker processes; closed on exit. A malformed or unreachable address raises
    :class:`~lastmile_core.errors.InputError` naming ``scheduler`` after at most ``timeout_s``
    (default :data:`SCHEDULER_TIMEOUT_S`)."""
    import distributed

    make: Any = distributed.Client  # untyped in distributed
    if scheduler is not None and (not isinstance(scheduler, str) or not scheduler.strip()):
        raise InputError(
            f"scheduler: expected an address such as tcp://host:8786, got {scheduler!r}"
        )
    try:
        wait = SCHEDULER_TIMEOUT_S if timeout_s is None else timeout_s
        client = make(scheduler, timeout=wait) if scheduler else make(processes=True)
    except Exception as exc:  # distributed raises OSError, TimeoutError, ValueError, ...:
        msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(f"scheduler: cannot connect to {scheduler!r} ({msg})") from None
    try:
        yield client
    finally:
        client.close()


__all__ = ["BACKENDS", "check_backend", "dask_client", "parallel_map"]
