"""Run queries in worker processes that can be killed, so a time limit really stops the work.

The engine cannot be interrupted from Python, so each query runs in a worker process that
holds its own copy of the loaded store. Workers are forked from a *template* process, itself
forked once right after the store is loaded, before the server starts any thread: forking a
process that has threads could copy a lock another thread holds, so the template stays
single-threaded and every worker starts from a clean, loaded store (memory shared copy-on-write).

A query that outlives the time limit gets its worker killed (SIGKILL) and the caller gets
:class:`QueryTimeout`; the next query that needs a worker gets a fresh one from the template.
Every process exits when the serving process closes its end of the sockets (or dies).

With ``isolate_network`` (the embedded store: a query needs no network) the template cuts
itself off the network before it forks any worker (:mod:`legalgraph.netguard`): a query that
got past the endpoint's screen still cannot make the engine connect anywhere. The pool logs
how, or, where the operating system refuses every way, a warning that the screen is then the
only guard.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import signal
import socket
import struct
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from legalgraph import netguard
from legalgraph.errors import LegalgraphError

log = logging.getLogger("legalgraph.sandbox")

Task = Callable[[Any], Any]
"""What a worker runs: a function of one picklable request that returns a picklable answer."""

_LENGTH = struct.Struct("!I")


class QueryTimeout(LegalgraphError):
    """The query ran longer than the time limit and was stopped."""


class PoolBusy(LegalgraphError):
    """Every worker stayed busy for the whole time limit."""


class WorkerFailed(LegalgraphError):
    """A worker process died or answered nonsense."""


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


def _serve_worker(sock: socket.socket, task: Task) -> None:
    """A worker's loop: one request in, one answer out, until the socket closes."""
    while True:
        try:
            request = _recv(sock)
        except (EOFError, OSError):
            return
        try:
            reply: tuple[str, Any] = ("ok", task(request))
        except Exception as error:  # reported to the caller, who decides what to show
            reply = ("error", error)
        try:
            _send(sock, reply)
        except (pickle.PicklingError, TypeError, AttributeError):
            _send(sock, ("error", WorkerFailed(f"{type(reply[1]).__name__}: {reply[1]}")))
        except OSError:
            return


def _serve_template(control: socket.socket, task: Task, isolate_network: bool) -> None:
    """The template's loop: first how it is cut off the network, then each byte received
    asks for one more worker."""
    isolation = netguard.isolate() if isolate_network else netguard.Isolation("", "not asked")
    _send(control, isolation)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # workers are reaped automatically
    while True:
        try:
            if not control.recv(1):
                return
        except OSError:
            return
        ours, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            control.close()
            ours.close()
            _serve_worker(theirs, task)
            os._exit(0)
        theirs.close()
        socket.send_fds(control, [struct.pack("!i", pid)], [ours.fileno()])
        ours.close()


class Pool:
    """At most ``size`` worker processes running ``task``, each call limited in time.

    Create it in the process that holds the loaded store, before any thread starts. With
    ``isolate_network`` the workers cannot open network connections (see the module);
    ``isolation`` says how, or why not.
    """

    def __init__(self, task: Task, size: int, *, isolate_network: bool = False) -> None:
        if size < 1:
            raise ValueError("a pool needs at least one worker")
        self.size = size
        self._control, template_end = socket.socketpair()
        pid = os.fork()
        if pid == 0:  # the template
            try:
                signal.signal(signal.SIGINT, signal.SIG_IGN)
                self._control.close()
                _close_other_fds(template_end.fileno())
                _serve_template(template_end, task, isolate_network)
            finally:
                os._exit(0)
        template_end.close()
        self.isolation: netguard.Isolation = _recv(self._control)
        if self.isolation.isolated:
            log.info("query workers run without network access: %s", self.isolation.how)
        elif isolate_network:
            log.warning("query workers could not be cut off the network (%s): the endpoint's "
                        "SERVICE/FROM screen is the only guard", self.isolation.refused)
        self._template_pid = pid
        self._lock = threading.Condition()
        self._spawn_lock = threading.Lock()
        self._idle: list[_Worker] = []
        self._live = 0
        self._closed = False
        self._finalizer = weakref.finalize(self, _shutdown, self._control, self._idle, pid)

    def run(self, request: Any, time_limit: float) -> Any:
        """Run ``task(request)`` in a worker; the task's exception is raised again here.

        Raises :class:`QueryTimeout` after ``time_limit`` seconds (the worker is killed),
        :class:`PoolBusy` if no worker came free in that time.
        """
        deadline = time.monotonic() + time_limit
        worker = self._acquire(deadline)
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
            self._discard(worker)
            raise WorkerFailed(f"the query worker stopped: {error}") from None
        self._release(worker)
        if status == "error":
            raise payload
        return payload

    def close(self) -> None:
        """Stop every worker and the template."""
        with self._lock:
            self._closed = True
            self._lock.notify_all()
        self._finalizer()

    # -- workers ----------------------------------------------------------------------

    def _acquire(self, deadline: float) -> _Worker:
        with self._lock:
            while True:
                if self._closed:
                    raise WorkerFailed("the query pool is closed")
                if self._idle:
                    return self._idle.pop()
                if self._live < self.size:
                    self._live += 1
                    break
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise PoolBusy("every query worker stayed busy for the whole time limit")
                self._lock.wait(remaining)
        try:
            return self._spawn()
        except BaseException:
            with self._lock:
                self._live -= 1
                self._lock.notify()
            raise

    def _spawn(self) -> _Worker:
        with self._spawn_lock:
            self._control.sendall(b"s")
            message, fds, _flags, _address = socket.recv_fds(self._control, 16, 1)
        if not fds:
            raise WorkerFailed("the template process did not start a worker")
        (pid,) = struct.unpack("!i", message)
        return _Worker(pid, socket.socket(fileno=fds[0]))

    def _release(self, worker: _Worker) -> None:
        worker.sock.settimeout(None)
        with self._lock:
            if self._closed:
                worker.sock.close()  # the worker sees the socket close and exits
                return
            self._idle.append(worker)
            self._lock.notify()

    def _discard(self, worker: _Worker) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(worker.pid, signal.SIGKILL)
        worker.sock.close()
        with self._lock:
            self._live -= 1
            self._lock.notify()


def _shutdown(control: socket.socket, idle: list[_Worker], template_pid: int) -> None:
    for worker in idle:
        worker.sock.close()
    idle.clear()
    control.close()
    # The template exits as soon as it sees its control socket closed: reap it (briefly).
    deadline = time.monotonic() + 1.0
    with contextlib.suppress(ChildProcessError):
        while os.waitpid(template_pid, os.WNOHANG) == (0, 0) and time.monotonic() < deadline:
            time.sleep(0.01)
