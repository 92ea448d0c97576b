"""Personal data: the detectors, the text extractors (``extract/``) and the pre-flight scan over what would leave.

Imports ``rsqm.base`` and ``rsqm.files``.
"""
