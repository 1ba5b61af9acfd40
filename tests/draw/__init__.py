"""Tests of forkdocs.draw."""
