"""The file formats as models (``models``), the YAML and CSV readers, hashing, and ``Workspace``: a workspace folder as models.

Imports only ``rsqm.base``.
"""
