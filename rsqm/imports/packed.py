"""Rows kept as tuples of their values: a million-row import merges in bounded memory (issue 33)."""

from __future__ import annotations

import operator
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import TypeVar

from pydantic import BaseModel

T = TypeVar("T", bound=BaseModel)


class PackedRows(Sequence[T]):
    """A list of models kept as tuples of their field values, each model made again when it is read.

    A model instance costs about 2 KB (its ``__dict__`` and set of fields), its
    tuple a tenth of that: what lets a million-row export merge in bounded memory.
    Equal strings and dates are kept once (validation makes a new object for
    each cell): a category or a date repeats on thousands of rows. Blank
    optional columns at the end of a row are not kept at all.
    """

    SHARED = 1 << 16  # distinct values kept once; past that (a column of unique values), values are kept as they come

    def __init__(self, rows: Iterable[T] = ()):
        self._values: list[tuple] = []
        self._shared: dict[str | date, str | date] = {}
        for row in rows:
            self.append(row)

    def append(self, row: T) -> None:
        if not self._values:  # the first row says the model
            self._model = type(row)
            self._fields = tuple(self._model.model_fields)
            self._fields_set = set(self._fields)
            self._blank = (None,) * len(self._fields)
            self._pack = operator.attrgetter(*self._fields)
        self._values.append(self._share(self._pack(row)))

    def __setitem__(self, index: int, row: T) -> None:
        self._values[index] = self._share(self._pack(row))

    def _share(self, values: tuple) -> tuple:
        shared = self._shared
        values = self._trimmed(values)
        if len(shared) >= self.SHARED:
            return tuple(shared.get(v, v) if type(v) in (str, date) else v for v in values)
        return tuple(shared.setdefault(v, v) if type(v) in (str, date) else v for v in values)

    @staticmethod
    def _trimmed(values: tuple) -> tuple:
        """``values`` without the blank (None) ones at the end."""
        end = len(values)
        while end and values[end - 1] is None:
            end -= 1
        return values[:end]

    def __len__(self) -> int:
        return len(self._values)

    def __getitem__(self, index: int) -> T:  # type: ignore[override]  # no slices: nothing reads them
        return self._unpack(self._values[index])

    def __iter__(self) -> Iterator[T]:
        return map(self._unpack, self._values)

    def values_of(self, names: Sequence[str]) -> Iterator[tuple]:
        """Each row's values of ``names``, read from its tuple: no model is made."""
        if not self._values:
            return iter(())
        take = operator.itemgetter(*(self._fields.index(name) for name in names))
        blank = self._blank
        rows = (values + blank[len(values):] for values in self._values)
        return map(take, rows) if len(names) > 1 else ((take(row),) for row in rows)

    def fields_of(self, index: int) -> dict[str, object]:
        """One row's field values by name, as its model's ``model_dump()`` gives them (its fields are flat): no model is made."""
        values = self._values[index]
        return dict(zip(self._fields, values + self._blank[len(values):], strict=True))

    def holds(self, index: int, row: T) -> bool:
        """Whether the row at ``index`` equals ``row``, as models compare (field by field), read from its tuple."""
        return self._values[index] == self._trimmed(self._pack(row))

    def _unpack(self, values: tuple) -> T:
        return self._model.model_construct(self._fields_set, **dict(zip(self._fields, values + self._blank[len(values):], strict=True)))


def field_values(rows: Sequence[BaseModel], names: Sequence[str]) -> Iterator[tuple]:
    """Each row's values of ``names``, in order: from the packed tuples themselves when ``rows`` are PackedRows (no
    model is made again, which costs more than the rest of writing a row), else read from each model."""
    if isinstance(rows, PackedRows):
        return rows.values_of(names)
    take = operator.attrgetter(*names)
    return map(take, rows) if len(names) > 1 else ((take(row),) for row in rows)
