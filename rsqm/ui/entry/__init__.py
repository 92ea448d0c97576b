"""The dashboard's entry script for ``rsqm serve``, alone in its folder.

Streamlit puts the entry script's folder first on ``sys.path``; a folder of its
own keeps the page modules of ``rsqm/ui`` from being importable under bare
names such as ``data`` or ``session``.
"""
