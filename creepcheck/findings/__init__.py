"""What happens to findings after the rules.

Settling and fingerprints, waivers, suppressions, exclusions, baselines and the
run's audit record."""
