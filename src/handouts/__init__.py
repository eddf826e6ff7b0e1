"""handouts: clinic-branded, plain-language patient handout PDFs."""

__version__ = "0.1.0"
