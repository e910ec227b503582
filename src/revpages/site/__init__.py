"""The MkDocs layer: the plugin adapter, the static assets, inline scripts moved into files,
atomic publishing.
"""
