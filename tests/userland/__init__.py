"""Tests of forkdocs.userland."""
