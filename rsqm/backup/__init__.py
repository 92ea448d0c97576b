"""Workspace backups: what one holds and how it is checked (``manifest``), taking and restoring one (``archive``),
its passphrase encryption (``crypto``).

Imports base, files and workspace.
"""
