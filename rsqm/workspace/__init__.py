"""Opening and changing a workspace: the load (with its cache and cross-reference checks), the store every write
goes through, uploads, register and action-plan edits, new workspaces.

Imports the packages below it: base, files, imports, audit, assess.
"""
