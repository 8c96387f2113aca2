"""Defence in depth: identity-card numbers are masked in any log line that would contain one."""

from __future__ import annotations

import logging
import re

# 18-character resident ID numbers (17 digits and a digit or X).
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{4})\d{10}(\d{3}[\dXx])(?![0-9A-Za-z])")


class RedactIdNumbersFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = ID_NUMBER.sub(r"\1**********\2", message)
        if redacted != message:
            record.msg = redacted
            record.args = ()
        return True
