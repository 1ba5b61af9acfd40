"""Tests of forkdocs.hardware."""
