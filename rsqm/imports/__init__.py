"""Reading other systems' exports through an import map (``reader``), and the case list and feedback file they merge into.

Imports ``rsqm.base``, ``rsqm.files`` and ``rsqm.privacy``.
"""
