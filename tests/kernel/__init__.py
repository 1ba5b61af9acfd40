"""Tests of forkdocs.kernel."""
