"""The boundary that keeps personal data out of every output.

Masking, and the outbound check that every printed text passes."""
