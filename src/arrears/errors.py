"""The one exception module of arrears.

Hierarchy::

    ArrearsError                 anything arrears raises on purpose
    └── InputError               a user's input is wrong; carries every Problem found
        ├── NoRootError          cash flows for which no rate of return exists
        └── ConflictError        a stored case changed since it was read (store/)

A :class:`Problem` is data: where (file, key path or line) and what is wrong, as an
untranslated message id with parameters. The library never translates; the edges
(CLI, web) render problems in the user's language with :func:`arrears.i18n.render`.
The CLI prints one line per problem and exits with code 2.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

__all__ = ["ArrearsError", "ConflictError", "InputError", "NoRootError", "Problem"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the input.

    ``where`` names the place: ``"--rate"``, ``"case.toml: debts[1].overdue.penalty"`` or
    ``"flows.csv:7"``. ``message`` is a message id marked with ``N_`` and formatted with
    ``params`` after translation.
    """

    where: str
    message: str
    params: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    def located(self, prefix: str) -> Problem:
        """The same problem with a location prefix (a file name, a parent key)."""
        where = f"{prefix}{self.where}" if self.where else prefix.rstrip(".: ")
        return Problem(where, self.message, self.params)


class ArrearsError(Exception):
    """Base class of every error arrears raises on purpose."""


class InputError(ArrearsError):
    """The user's input is wrong. Holds every problem found, not only the first."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("; ".join(f"{p.where}: {p.message}" for p in self.problems))

    @classmethod
    def one(cls, where: str, message: str, **params: Any) -> InputError:
        """An error with a single problem."""
        return cls([Problem(where, message, MappingProxyType(dict(params)))])


class NoRootError(InputError):
    """No rate of return makes the cash flows' present value zero."""


class ConflictError(InputError):
    """A stored case was changed by someone else after it was read: the edit is refused,
    never lost silently (optimistic concurrency, ``docs/store.md``)."""
