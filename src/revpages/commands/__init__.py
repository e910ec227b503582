"""The ``revpages`` command line: build, serve, check, new, init, sample-data."""
