"""Loaders for creepcheck's input files: project config, campaigns and profiles.

Everything here turns a user's file into creepcheck's typed records or raises one of
the `creepcheck.errors` exceptions naming the file and line; no other exception escapes.
"""
