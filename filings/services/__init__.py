"""Writes on filings. Each is one transaction: lock, check state and permission, write, audit."""
