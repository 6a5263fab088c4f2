"""The site's pages: the renderer that takes a catalog to {path: text} through the templates, the
tables' filters and the plots.
"""
