"""creepcheck's version, in a module of its own.

The package's `__init__` reaches into the engine (its `check` API); modules that only
need the version (the CLI, the audit record, the HTML and SARIF reports) import it from
here, so that taking the version draws no import circle through the engine.
"""

__version__ = "0.1.0"
