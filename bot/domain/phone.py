"""Phone numbers in a customer's message: found with Google's libphonenumber (the
``phonenumberslite`` package), masked wherever more than the assignee may see them.

Example::

    >>> found = find_phone("call me on +1 415 555 4567 after 5pm")
    >>> found.e164, found.masked
    ('+14155554567', '+1 ••• ••• 4567')
    >>> mask_phones("call me on +1 415 555 4567 after 5pm")
    'call me on +1 ••• ••• 4567 after 5pm'
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import phonenumbers

DEFAULT_REGION = "US"  # numbers written without a country code
MAX_TEXT_CHARS = 5000


class CallOutcome(StrEnum):
    REACHED = "reached"
    NO_ANSWER = "no_answer"
    WRONG_NUMBER = "wrong_number"


@dataclass(frozen=True)
class PhoneNumber:
    e164: str
    country_code: int
    national: str

    @property
    def masked(self) -> str:
        """Only the country code and the last four digits: ``+1 ••• ••• 4567``."""
        return f"+{self.country_code} ••• ••• {self.national[-4:]}"

    def __repr__(self) -> str:  # never shown in full by accident (logs, tracebacks)
        return f"PhoneNumber({self.masked})"


def _matches(text: str):
    return phonenumbers.PhoneNumberMatcher(text[:MAX_TEXT_CHARS], DEFAULT_REGION,
                                           leniency=phonenumbers.Leniency.VALID)


def find_phone(text: str) -> PhoneNumber | None:
    """The first valid phone number in ``text``, or None."""
    for match in _matches(text):
        number = match.number
        return PhoneNumber(
            e164=phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
            country_code=number.country_code, national=str(number.national_number))
    return None


def mask_phones(text: str) -> str:
    """``text`` with every phone number in it masked."""
    pieces, last = [], 0
    for match in _matches(text):
        number = match.number
        masked = PhoneNumber(e164="", country_code=number.country_code,
                             national=str(number.national_number)).masked
        pieces += [text[last:match.start], masked]
        last = match.end
    return "".join(pieces) + text[last:] if pieces else text
