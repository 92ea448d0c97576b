"""Assessing a workspace: gap analysis and readiness, measured requirements, workforce, outcomes, frameworks, renewal.

Imports ``rsqm.base``, ``rsqm.files`` and ``rsqm.audit``.
"""
