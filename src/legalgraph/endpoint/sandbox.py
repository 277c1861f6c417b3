"""Run queries in worker processes that can be killed, so a time limit really stops the work.

The engine cannot be interrupted from Python, so each query runs in a worker process that
holds its own copy of the loaded store. Workers are forked from a *template* process, itself
forked once right after the store is loaded, before the server starts any thread: forking a
process that has threads could copy a lock another thread holds, so the template stays
single-threaded and every worker starts from a clean, loaded store (memory shared copy-on-write).

* A query that outlives the time limit gets its worker killed (SIGKILL) and the caller gets
  :class:`QueryTimeout`; the time limit counts execution only, from the moment a worker has
  the query.
* When every worker is busy, :meth:`Pool.run` raises :class:`PoolBusy` at once: nothing waits
  in line for a worker (the server answers 503 and its threads stay free for cached answers).
* With ``memory_cap`` each worker may grow by at most that many bytes of address space; a
  query that needs more ends its worker and the caller gets :class:`OutOfMemory`.
* A worker that died (killed, crashed) is replaced, and the query, being read-only, is tried
  once more on a fresh worker. A template that died is replaced by promoting an idle worker
  (single-threaded, loaded, already isolated), or, when none is idle, by forking the serving
  process again.
* Every process exits when the serving process closes its end of the sockets (or dies).

With ``isolate_network`` (the embedded store: a query needs no network) the template cuts
itself off the network before it forks any worker (:mod:`legalgraph.netguard`): a query that
got past the endpoint's screen still cannot make the engine connect anywhere. The pool logs
how, or, where the operating system refuses every way, a warning that the screen is then the
only guard.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import pickle
import resource
import signal
import socket
import struct
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from legalgraph import netguard
from legalgraph.errors import LegalgraphError

log = logging.getLogger("legalgraph.endpoint.sandbox")

Task = Callable[[Any], Any]
"""What a worker runs: a function of one picklable request that returns a picklable answer."""

_LENGTH = struct.Struct("!I")
_PID = struct.Struct("!i")
_PROMOTE = "legalgraph.sandbox: become the template"
"""The request that turns an idle worker into the template."""
_UNKNOWN = -1


class QueryTimeout(LegalgraphError):
    """The query ran longer than the time limit and was stopped."""


class PoolBusy(LegalgraphError):
    """Every worker is busy with another query."""


class OutOfMemory(LegalgraphError):
    """The query needed more memory than a worker may have; its worker was replaced."""


class WorkerFailed(LegalgraphError):
    """A worker process died or answered nonsense, twice."""


@dataclass
class _Worker:
    pid: int
    sock: socket.socket


def _send(sock: socket.socket, payload: Any) -> None:
    data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
    sock.sendall(_LENGTH.pack(len(data)) + data)


def _recv_exactly(sock: socket.socket, size: int) -> bytes:
    chunks = []
    while size:
        chunk = sock.recv(min(size, 1 << 20))
        if not chunk:
            raise EOFError("connection closed")
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _recv(sock: socket.socket) -> Any:
    (size,) = _LENGTH.unpack(_recv_exactly(sock, _LENGTH.size))
    return pickle.loads(_recv_exactly(sock, size))


def _close_other_fds(keep: int) -> None:
    """Close inherited descriptors (listening sockets, other pools' sockets) except ``keep``
    and the standard streams, so an exiting server is not kept half-alive by its children."""
    try:
        limit = os.sysconf("SC_OPEN_MAX")
    except (OSError, ValueError):
        limit = 4096
    os.closerange(3, keep)
    os.closerange(keep + 1, min(limit, 65536))


def _cap_memory(cap: int) -> None:
    """Let this process's address space grow by at most ``cap`` bytes from now on."""
    if cap <= 0:
        return
    with open("/proc/self/statm", encoding="ascii") as statm:
        size = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        size = min(size + cap, hard) - cap
    resource.setrlimit(resource.RLIMIT_AS, (size + cap, hard))  # the soft limit only


def _uncap_memory() -> None:
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))


_PR_SET_PDEATHSIG = 1


def _die_with(parent: int) -> None:
    """Be killed when ``parent`` (the process that forked this one) ends, so that a worker in
    the middle of a long query never outlives the server (Linux; elsewhere the worker ends
    when it next reads its closed socket)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent ended before the line above
        os._exit(0)


def _serve_worker(sock: socket.socket, task: Task, memory_cap: int) -> None:
    """A worker's loop: one request in, one answer out, until the socket closes (or the
    request to become the template)."""
    while True:
        try:
            request = _recv(sock)
        except (EOFError, OSError):
            return
        if request == _PROMOTE:
            with contextlib.suppress(OSError):
                _send(sock, ("ok", os.getpid()))
                _uncap_memory()
                _serve_template(sock, task, memory_cap, announce=None)
            return
        try:
            reply: tuple[str, Any] = ("ok", task(request))
        except MemoryError:
            reply = ("memory", None)
        except Exception as error:  # reported to the caller, who decides what to show
            reply = ("error", error)
        try:
            _send(sock, reply)
        except (pickle.PicklingError, TypeError, AttributeError):
            _send(sock, ("error", WorkerFailed(f"{type(reply[1]).__name__}: {reply[1]}")))
        except OSError:
            return
        if reply[0] == "memory":
            return  # a worker that ran out of memory is not trusted with another query


@dataclass
class _Reaper:
    """The exit statuses of the template's workers, kept for the serving process to ask."""

    statuses: dict[int, int] = field(default_factory=dict)

    def reap(self, _signum: int = 0, _frame: object = None) -> None:
        with contextlib.suppress(ChildProcessError):
            while True:
                pid, status = os.waitpid(-1, os.WNOHANG)
                if pid == 0:
                    return
                self.statuses[pid] = status
                if len(self.statuses) > 1024:
                    self.statuses.pop(next(iter(self.statuses)))

    def status_of(self, pid: int) -> int:
        """The exit status of worker ``pid``, waiting up to a second for it to end."""
        deadline = time.monotonic() + 1.0
        while pid not in self.statuses and time.monotonic() < deadline:
            try:
                found, status = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                break
            if found:
                self.statuses[pid] = status
                break
            time.sleep(0.01)
        return self.statuses.pop(pid, _UNKNOWN)


def _serve_template(control: socket.socket, task: Task, memory_cap: int,
                    announce: netguard.Isolation | None) -> None:
    """The template's loop: ``s`` asks for one more worker (its pid and socket come back),
    ``?`` and a pid for that worker's exit status. ``announce``, when given, is sent first."""
    if announce is not None:
        _send(control, announce)
    reaper = _Reaper()
    signal.signal(signal.SIGCHLD, reaper.reap)
    while True:
        try:
            command = control.recv(1)
        except OSError:
            return
        if command == b"?":
            try:
                (pid,) = _PID.unpack(_recv_exactly(control, _PID.size))
            except (EOFError, OSError):
                return
            control.sendall(_PID.pack(reaper.status_of(pid)))
            continue
        if command != b"s":
            return
        ours, theirs = socket.socketpair()
        template = os.getpid()
        pid = os.fork()
        if pid == 0:
            _die_with(template)
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            control.close()
            ours.close()
            try:
                _cap_memory(memory_cap)
                _serve_worker(theirs, task, memory_cap)
            finally:
                os._exit(0)
        theirs.close()
        socket.send_fds(control, [_PID.pack(pid)], [ours.fileno()])
        ours.close()


@dataclass
class _Template:
    """The serving process's end of the template: its control socket and pid."""

    control: socket.socket
    pid: int


def _fork_template(task: Task, memory_cap: int, isolate_network: bool) -> tuple[_Template, Any]:
    control, template_end = socket.socketpair()
    server = os.getpid()
    pid = os.fork()
    if pid == 0:  # the template
        try:
            _die_with(server)
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            control.close()
            _close_other_fds(template_end.fileno())
            isolation = (netguard.isolate() if isolate_network
                         else netguard.Isolation("", "not asked"))
            _serve_template(template_end, task, memory_cap, announce=isolation)
        finally:
            os._exit(0)
    template_end.close()
    return _Template(control, pid), _recv(control)


class Pool:
    """At most ``size`` worker processes running ``task``, each call limited in time.

    Create it in the process that holds the loaded store, before any thread starts. With
    ``isolate_network`` the workers cannot open network connections (see the module);
    ``isolation`` says how, or why not. ``memory_cap`` (bytes, 0 for none) bounds how much
    each worker may grow.
    """

    def __init__(self, task: Task, size: int, *, isolate_network: bool = False,
                 memory_cap: int = 0) -> None:
        if size < 1:
            raise ValueError("a pool needs at least one worker")
        self.size = size
        self._task = task
        self._memory_cap = memory_cap
        self._isolate = isolate_network
        self._template, isolation = _fork_template(task, memory_cap, isolate_network)
        self.isolation: netguard.Isolation = isolation
        if self.isolation.isolated:
            log.info("query workers run without network access: %s", self.isolation.how)
        elif isolate_network:
            log.warning("query workers could not be cut off the network (%s): the endpoint's "
                        "SERVICE/FROM screen is the only guard", self.isolation.refused)
        self._lock = threading.Lock()
        self._spawn_lock = threading.Lock()
        self._idle: list[_Worker] = []
        self._live = 0
        self._closed = False
        self._finalizer = weakref.finalize(self, _shutdown, self._template, self._idle)

    def run(self, request: Any, time_limit: float) -> Any:
        """Run ``task(request)`` in a worker; the task's exception is raised again here.

        Raises :class:`PoolBusy` at once when every worker is busy, :class:`QueryTimeout`
        after ``time_limit`` seconds of execution (the worker is killed), :class:`OutOfMemory`
        when the worker outgrew its memory cap, :class:`WorkerFailed` when a worker died
        twice.
        """
        for attempt in (1, 2):
            worker = self._acquire()
            deadline = time.monotonic() + time_limit
            try:
                _send(worker.sock, request)
                worker.sock.settimeout(max(deadline - time.monotonic(), 0.001))
                status, payload = _recv(worker.sock)
            except TimeoutError:
                self._discard(worker)
                raise QueryTimeout(
                    f"the query was stopped after the time limit of {time_limit:g} s"
                ) from None
            except (EOFError, OSError, pickle.UnpicklingError) as error:
                exit_status = self._exit_status(worker.pid)
                self._discard(worker)
                if self._memory_cap and exit_status != _UNKNOWN and os.WIFSIGNALED(
                        exit_status) and os.WTERMSIG(exit_status) == signal.SIGABRT:
                    raise OutOfMemory(self._memory_message()) from None
                if attempt == 1:
                    log.warning("a query worker stopped (%s); trying the query once more on "
                                "a fresh one", error)
                    continue
                raise WorkerFailed(f"the query worker stopped: {error}") from None
            if status == "memory":
                self._discard(worker)
                raise OutOfMemory(self._memory_message())
            self._release(worker)
            if status == "error":
                raise payload
            return payload
        raise WorkerFailed("the query worker stopped")  # not reached: the loop returns

    def close(self) -> None:
        """Stop every worker and the template."""
        with self._lock:
            self._closed = True
        self._finalizer()

    def _memory_message(self) -> str:
        return (f"the query needed more than the {self._memory_cap >> 20} MB a query worker "
                "may use; make it more specific (fewer unbound patterns, no ORDER BY over "
                "everything, a LIMIT)")

    # -- workers ----------------------------------------------------------------------

    def _acquire(self) -> _Worker:
        with self._lock:
            if self._closed:
                raise WorkerFailed("the query pool is closed")
            if self._idle:
                return self._idle.pop()
            if self._live >= self.size:
                raise PoolBusy("every query worker is busy")
            self._live += 1
        try:
            return self._spawn()
        except BaseException:
            with self._lock:
                self._live -= 1
            raise

    def _spawn(self) -> _Worker:
        with self._spawn_lock:
            for attempt in (1, 2):
                try:
                    self._template.control.sendall(b"s")
                    message, fds, _flags, _address = socket.recv_fds(
                        self._template.control, 16, 1)
                except OSError:
                    message, fds = b"", []
                if fds:
                    (pid,) = _PID.unpack(message)
                    return _Worker(pid, socket.socket(fileno=fds[0]))
                if attempt == 1:
                    self._replace_template()
        raise WorkerFailed("the template process did not start a worker")

    def _replace_template(self) -> None:
        """Make a new template: an idle worker (forked from the old one, so loaded, isolated,
        single-threaded) when there is one, else a fork of this process."""
        log.warning("the query worker template (pid %d) stopped; replacing it",
                    self._template.pid)
        with contextlib.suppress(OSError):
            self._template.control.close()
        while True:
            with self._lock:
                worker = self._idle.pop() if self._idle else None
                if worker is not None:
                    self._live -= 1
            if worker is None:
                log.warning("no idle worker to promote: forking the serving process again")
                self._template, _ = _fork_template(self._task, self._memory_cap, self._isolate)
                break
            try:
                _send(worker.sock, _PROMOTE)
                status, _pid = _recv(worker.sock)
            except (EOFError, OSError, pickle.UnpicklingError):
                worker.sock.close()
                continue
            if status == "ok":
                self._template = _Template(worker.sock, worker.pid)
                break
        self._finalizer.detach()
        self._finalizer = weakref.finalize(self, _shutdown, self._template, self._idle)

    def _exit_status(self, pid: int) -> int:
        """How worker ``pid`` ended, as the template saw it (``-1`` when unknown)."""
        with self._spawn_lock:
            try:
                self._template.control.sendall(b"?" + _PID.pack(pid))
                (status,) = _PID.unpack(_recv_exactly(self._template.control, _PID.size))
            except (EOFError, OSError):
                return _UNKNOWN
        return int(status)

    def _release(self, worker: _Worker) -> None:
        worker.sock.settimeout(None)
        with self._lock:
            if self._closed:
                worker.sock.close()  # the worker sees the socket close and exits
                return
            self._idle.append(worker)

    def _discard(self, worker: _Worker) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(worker.pid, signal.SIGKILL)
        worker.sock.close()
        with self._lock:
            self._live -= 1


def _shutdown(template: _Template, idle: list[_Worker]) -> None:
    for worker in idle:
        worker.sock.close()
    idle.clear()
    template.control.close()
    # The template exits as soon as it sees its control socket closed: reap it (briefly).
    deadline = time.monotonic() + 1.0
    with contextlib.suppress(ChildProcessError):
        while os.waitpid(template.pid, os.WNOHANG) == (0, 0) and time.monotonic() < deadline:
            time.sleep(0.01)
