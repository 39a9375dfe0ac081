"""Files written all at once, and nothing left behind (``docs/conventions.md``).

Every file a command writes — ``contacts add`` rewriting the case file, ``letter -o``,
``contacts report -o``, ``portfolio synth`` and ``portfolio audit -o`` — goes through this
module:

* the new content is written to a **staged** file beside its target (same folder, so same
  file system, so the final :func:`os.replace` is atomic), flushed and synced, then renamed
  over the target: a crash at any moment leaves the old file or the new one, never a mix;
* every temporary thing carries its owner in its name: ``.NAME.arrears-PID-START.tmp``
  (``.partial`` for a file written in pieces) and ``.arrears-scratch-PID-START-…`` for a
  scratch folder, where ``PID`` is the process id and ``START`` the process's start time
  (clock ticks since boot on Linux), so the pair names one process for ever;
* it is removed on every exit path the command controls (errors, Ctrl-C, SIGTERM:
  :func:`arrears.cli.main` turns SIGTERM into the same interruption as Ctrl-C);
* what a killed process (``kill -9``) left is **swept** by the next command that writes in
  that folder: a name whose process is gone (no such pid, or a pid now started at another
  time) is removed. A live process's files are never touched.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import stat
import time
from collections.abc import Iterator
from pathlib import Path

from arrears.errors import InputError
from arrears.i18n import N_

__all__ = ["OWNER", "Staged", "is_stale", "scratch_folder", "staged_path", "sweep",
           "write_atomically"]


def _start_of(pid: int) -> str | None:
    """The start time of process ``pid`` (clock ticks since boot), or None if unknown."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            raw = handle.read()
    except OSError:
        return None
    # the command name (field 2) may hold spaces and parentheses: split after the last ")"
    fields = raw[raw.rfind(b")") + 2:].split()
    return fields[19].decode() if len(fields) > 19 else None


OWNER = f"{os.getpid()}-{_start_of(os.getpid()) or format(int(time.time() * 1000), 'x')}"
"""This process, as it appears in the names of its temporary files."""

_OWNED = re.compile(r"^\.(?:.+\.)?arrears-(?:scratch-|portfolio-)?(?P<pid>\d+)-(?P<start>[0-9a-f]+)"
                    r"(?:-\d+)?(?:\.(?:tmp|partial))?$")


def _owner() -> str:
    """The owner tag of the running process (after a fork, the child's own)."""
    global OWNER  # noqa: PLW0603 - recomputed once in a forked child
    if not OWNER.startswith(f"{os.getpid()}-"):
        OWNER = f"{os.getpid()}-{_start_of(os.getpid()) or format(int(time.time() * 1000), 'x')}"
    return OWNER


def is_stale(pid: int, start: str) -> bool:
    """True if the process named by ``pid`` and ``start`` is gone."""
    if pid == os.getpid():
        return not _owner().endswith(f"-{start}")
    now = _start_of(pid)
    if now is not None:
        return now != start
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False  # alive, another user's
    return False  # alive, and its start time cannot be read here: keep its files


def sweep(folder: Path) -> int:
    """Remove the temporary files and scratch folders in ``folder`` whose process is gone;
    return how many were removed. Errors (a folder not readable) are ignored."""
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        match = _OWNED.match(entry.name)
        if match is None or not is_stale(int(match["pid"]), match["start"]):
            continue
        with contextlib.suppress(OSError):
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
            removed += 1
    return removed


def staged_path(target: Path, suffix: str = ".tmp") -> Path:
    """Where the new content of ``target`` is written before it replaces ``target``."""
    return target.parent / f".{target.name}.arrears-{_owner()}{suffix}"


_counter = iter(range(1 << 62))


@contextlib.contextmanager
def scratch_folder(parent: Path) -> Iterator[Path]:
    """A folder of this process's own under ``parent`` (stale ones swept first), removed
    with everything in it when the block ends, however it ends."""
    sweep(parent)
    folder = parent / f".arrears-scratch-{_owner()}-{next(_counter)}"
    try:
        folder.mkdir(parents=False)
    except OSError as error:
        raise _unwritable(parent, error) from None
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _unwritable(path: Path, error: OSError) -> InputError:
    return InputError.one(str(path), N_("cannot be written: {reason}"),
                          reason=error.strerror or str(error))


class Staged:
    """A file written in pieces (by pyarrow, say) to :attr:`path`, which becomes ``target``
    only on :meth:`commit`; :meth:`discard` (or leaving a ``with`` block without a commit)
    removes it."""

    def __init__(self, target: Path) -> None:
        self.target = target
        sweep(target.parent if str(target.parent) else Path("."))
        self.path = staged_path(target, ".partial")

    def commit(self) -> None:
        try:
            os.replace(self.path, self.target)
        except OSError as error:
            self.discard()
            raise _unwritable(self.target, error) from None
        _sync_folder(self.target.parent)

    def discard(self) -> None:
        with contextlib.suppress(OSError):
            os.unlink(self.path)

    def __enter__(self) -> Staged:
        return self

    def __exit__(self, *_: object) -> None:
        self.discard()


def write_atomically(path: Path, data: bytes, *, expected: bytes | None = None) -> None:
    """Replace the file at ``path`` by ``data`` all at once (a link is followed, so it stays
    a link; a file's permissions are kept). With ``expected``, refuse if the file no longer
    holds exactly those bytes. A failure is an :class:`InputError` naming ``path`` and
    leaves any earlier file as it was."""
    target = path.resolve() if path.is_symlink() else path.absolute()
    sweep(target.parent)
    temp = staged_path(target)
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        mode = 0o666 & ~mask
    try:
        handle = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    except OSError as error:
        raise _unwritable(path, error) from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        with contextlib.suppress(OSError):
            os.chmod(temp, mode)
        if expected is not None and target.read_bytes() != expected:
            raise InputError.one(str(path), N_("changed while the contact was being added; "
                                               "nothing was written, try again"))
        os.replace(temp, target)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise _unwritable(path, error) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    _sync_folder(target.parent)


def _sync_folder(folder: Path) -> None:
    """Make a rename durable (POSIX; a no-op where folders cannot be opened)."""
    with contextlib.suppress(OSError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)
