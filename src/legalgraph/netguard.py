"""Cut the current process off the network, with what the operating system allows.

Query workers call :func:`isolate` so that no query can make the engine open a connection,
whatever the endpoint's screen lets through: the engine is Rust code, so a guard on Python's
``socket`` module would not stop it; the kernel must. In order of preference:

1. a network namespace of its own (``unshare(CLONE_NEWNET)``, needs root or CAP_SYS_ADMIN):
   the process sees only a loopback interface that is down, so every connection fails;
2. a user namespace and a network namespace of its own (the same, for an unprivileged user
   where the kernel allows user namespaces);
3. a seccomp filter (libseccomp) that refuses to create IPv4 and IPv6 sockets.

Each must be called in a process with one thread (the worker template is one).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import socket
from dataclasses import dataclass

_CLONE_NEWNET = 0x40000000
_CLONE_NEWUSER = 0x10000000
_SCMP_ACT_ALLOW = 0x7FFF0000
_SCMP_ACT_ERRNO = 0x00050000
_SCMP_CMP_EQ = 4


@dataclass(frozen=True)
class Isolation:
    """How the process was cut off (``how``), or why it could not be (``refused``)."""

    how: str
    refused: str = ""

    @property
    def isolated(self) -> bool:
        return bool(self.how)


class _ArgCmp(ctypes.Structure):
    _fields_ = [("arg", ctypes.c_uint), ("op", ctypes.c_int),
                ("datum_a", ctypes.c_uint64), ("datum_b", ctypes.c_uint64)]


def isolate() -> Isolation:
    """Cut this process off the network; say how, or why every way was refused."""
    refusals = []
    libc = ctypes.CDLL(None, use_errno=True)
    for flags, how in ((_CLONE_NEWNET, "a network namespace of its own"),
                       (_CLONE_NEWUSER | _CLONE_NEWNET,
                        "a user and network namespace of its own")):
        if libc.unshare(flags) == 0:
            return Isolation(how)
        refusals.append(f"unshare: {os.strerror(ctypes.get_errno())}")
    try:
        _seccomp()
    except OSError as error:
        refusals.append(f"seccomp: {error}")
    else:
        return Isolation("a seccomp filter refusing IPv4 and IPv6 sockets")
    return Isolation("", "; ".join(refusals))


def _seccomp() -> None:
    name = ctypes.util.find_library("seccomp")
    if name is None:
        raise OSError("libseccomp is not installed")
    lib = ctypes.CDLL(name)
    lib.seccomp_init.restype = ctypes.c_void_p
    lib.seccomp_init.argtypes = [ctypes.c_uint32]
    lib.seccomp_rule_add_array.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int,
                                           ctypes.c_uint, ctypes.POINTER(_ArgCmp)]
    lib.seccomp_load.argtypes = [ctypes.c_void_p]
    lib.seccomp_release.argtypes = [ctypes.c_void_p]
    lib.seccomp_syscall_resolve_name.argtypes = [ctypes.c_char_p]
    context = lib.seccomp_init(_SCMP_ACT_ALLOW)
    if not context:
        raise OSError("seccomp_init failed")
    try:
        number = lib.seccomp_syscall_resolve_name(b"socket")
        for family in (socket.AF_INET, socket.AF_INET6):
            rule = _ArgCmp(0, _SCMP_CMP_EQ, int(family), 0)
            code = lib.seccomp_rule_add_array(context, _SCMP_ACT_ERRNO | errno.EACCES, number,
                                              1, ctypes.byref(rule))
            if code < 0:
                raise OSError(f"seccomp_rule_add_array: {os.strerror(-code)}")
        code = lib.seccomp_load(context)
        if code < 0:
            raise OSError(f"seccomp_load: {os.strerror(-code)}")
    finally:
        lib.seccomp_release(context)
