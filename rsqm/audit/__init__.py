"""Case-file audits: reproducible samples, audit records and summaries, rates against targets, audit rounds.

Imports ``rsqm.base`` and ``rsqm.files``.
"""
