"""digestgen: validate biosimilar deal data and render it as cross-linked Markdown pages."""

__version__ = "0.1.0"
