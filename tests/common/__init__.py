"""Tests of forkdocs.common."""
