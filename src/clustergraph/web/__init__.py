"""The service's own pages and files: the explorer, the widget and its embed page, the article
page, and the export endpoints over HTTP.

May import `http` and every layer below; never `app` or `cli`.
"""
