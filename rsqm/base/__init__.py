"""The ground floor: errors and exit codes, file names, problems, dates and working days, statistics, words and numbers for people.

Imports nothing else from rsqm.
"""
