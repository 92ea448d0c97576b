"""Serving a team: local accounts, dashboard sessions, roles enforced where data is read (``access``), the
production settings of ``rsqm serve`` and ``rsqm doctor``'s checks.

Imports every package below it (base, files, imports, audit, assess, workspace, pack, backup).
"""
