"""What the person did in this run of the app: the material a report is made from.

Each workspace records into one ``Session`` (Orange's ``send_report`` idea): the digit tab
adds drawn digits and its model, the house tab priced houses and its models; the report
reads only this.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any
from datetime import datetime

import numpy as np

from engine.core.i18n import get_language
from engine.core.results import DigitModelInfo, HouseModelsInfo, HousePrediction


def _now() -> datetime:
    return datetime.now().astimezone()


@dataclass
class DrawnDigit:
    image28: np.ndarray  # what the network saw
    digit: int | None
    confidence: float
    probabilities: list[float]
    corrected_label: int | None = None
    time: datetime = field(default_factory=_now)


@dataclass
class PricedHouse:
    prediction: HousePrediction
    explanation: str  # the rule path in words, as shown to the person
    true_price: float | None = None  # when loaded from the data set
    time: datetime = field(default_factory=_now)


@dataclass
class Session:
    started: datetime = field(default_factory=_now)
    language: str = field(default_factory=get_language)
    digits: list[DrawnDigit] = field(default_factory=list)
    houses: list[PricedHouse] = field(default_factory=list)
    digit_model: DigitModelInfo | None = None
    house_models: HouseModelsInfo | None = None
    compare: Any = None  # engine.compare.results.CompareResult of the last comparison run
    lab: Any = None  # engine.lab: the last lab run and experiments (engine.lab.experiments)
    tables: list[Any] = field(default_factory=list)  # engine.tables.service.MinedTable, one per mining
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add_digit(self, entry: DrawnDigit) -> int:
        with self._lock:
            self.digits.append(entry)
            return len(self.digits) - 1

    def correct_digit(self, index: int, label: int) -> None:
        with self._lock:
            self.digits[index].corrected_label = label

    def update_digit(self, index: int, **fields: object) -> None:
        """A digit drawn in several strokes is one entry, updated as the drawing grows."""
        with self._lock:
            entry = self.digits[index]
            for name, value in fields.items():
                setattr(entry, name, value)

    def add_house(self, entry: PricedHouse) -> int:
        with self._lock:
            self.houses.append(entry)
            return len(self.houses) - 1
