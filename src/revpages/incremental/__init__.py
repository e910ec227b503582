"""Incremental builds: content fingerprints, the result and loaded-data caches, the up-to-date
check, the manifest.
"""
