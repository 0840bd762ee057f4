"""Accounts pages, one module per concern; urls.py names each view."""
