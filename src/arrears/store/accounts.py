"""Accounts of the shared mode: a name, a role and an argon2 password hash.

Roles: an ``admin`` sees every case; a ``counsellor`` the cases assigned to them; a
``client`` their own (a case assigned to them). The password itself is never stored.
"""

from __future__ import annotations

import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from arrears.errors import InputError
from arrears.i18n import N_
from arrears.store.repository import Role, User

__all__ = ["MIN_PASSWORD", "hash_password", "new_user", "parse_role", "verify_password"]

MIN_PASSWORD = 8
_NAME = re.compile(r"^[\w.@+-]{1,64}$")


def parse_role(text: str) -> Role:
    """``admin``, ``counsellor`` or ``client``."""
    for role in Role:
        if role.value == text.strip().lower():
            return role
    raise InputError.one("--role", N_('"{text}" is not one of {choices}'), text=text,
                         choices=", ".join(r.value for r in Role))


def hash_password(password: str) -> str:
    """An argon2id hash of ``password``."""
    return PasswordHasher().hash(password)


def verify_password(user: User, password: str) -> bool:
    """Whether ``password`` is the user's."""
    try:
        return PasswordHasher().verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def new_user(name: str, role: str, password: str) -> User:
    """A new account, checked: a plain name, a known role, a password of 8 characters or
    more (hashed here)."""
    problems = []
    if not _NAME.match(name):
        problems.append(InputError.one("NAME", N_(
            '"{text}" is not a user name: 1 to 64 letters, digits or . _ @ + -'), text=name))
    try:
        chosen = parse_role(role)
    except InputError as error:
        problems.append(error)
        chosen = Role.CLIENT
    if len(password) < MIN_PASSWORD:
        problems.append(InputError.one("--password-stdin", N_(
            "the password must have at least {count} characters"), count=MIN_PASSWORD))
    if problems:
        raise InputError(p for e in problems for p in e.problems)
    return User(name, chosen, hash_password(password))
