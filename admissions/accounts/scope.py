"""Where a staff account may act: the schools its role grants cover (R2.2, R9.2).

A grant names a role and a school, or no school for every school (the central service, the
platform's administrators). Every staff selector narrows its rows with the scope of the roles
that may read them, so that a page cannot forget the school: see ``dossiers/permissions.py``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from django.db.models import Model, Q, QuerySet

if TYPE_CHECKING:
    from admissions.accounts.models import User

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class SchoolScope:
    """The schools where an account holds one of some roles: every school, or those listed."""

    everywhere: bool = False
    school_ids: frozenset[int] = frozenset()

    @property
    def empty(self) -> bool:
        return not self.everywhere and not self.school_ids

    def includes(self, school_id: int | None) -> bool:
        return self.everywhere or (school_id is not None and school_id in self.school_ids)

    def q(self, school_field: str) -> Q:
        """The condition a row's ``school_field`` (a path to a School) meets within the scope."""
        if self.everywhere:
            return Q()
        return Q(**{f"{school_field}__in": sorted(self.school_ids)})

    def narrow(self, queryset: QuerySet[M], school_field: str) -> QuerySet[M]:
        if self.empty:
            return queryset.none()
        return queryset.filter(self.q(school_field))


NOWHERE = SchoolScope()


def school_scope(user: User, roles: Iterable[str]) -> SchoolScope:
    """The schools where ``user`` holds one of ``roles``; nowhere for a visitor or a candidate."""
    if not user.is_authenticated:
        return NOWHERE
    wanted = set(roles)
    schools = {school for role, school in user.grants() if role in wanted}
    if None in schools:
        return SchoolScope(everywhere=True)
    return SchoolScope(school_ids=frozenset(s for s in schools if s is not None))
