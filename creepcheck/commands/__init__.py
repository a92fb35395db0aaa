"""The work behind CLI commands that do more than one call into the engine."""
