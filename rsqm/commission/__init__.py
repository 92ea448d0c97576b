"""The commissioner's quarterly return and a portfolio of services read from returns (docs/commissioning.md).

Imports ``rsqm.base``, ``rsqm.files``, ``rsqm.privacy``, ``rsqm.assess`` and ``rsqm.pack`` (its signing key and
document style).
"""
