"""coach: a terminal interview coach that grades spoken-style answers against your notes."""

__version__ = "0.1.0"
