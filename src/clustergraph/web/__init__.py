"""The service's own pages and files: the explorer, the widget and its embed page, the exports."""
