"""Writes. Every state change is one transaction that locks its row, checks transition and
permission, writes the change and an audit event, and schedules side effects after commit."""
