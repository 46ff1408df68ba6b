"""What each command shows, as data: JSON objects and table rows from plan, states and today.

Pure functions: no I/O and no clock. The JSON shapes built here are the public interface
documented in the README.
"""
