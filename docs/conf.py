"""Sphinx configuration of the lastmile_core documentation (built in CI with warnings as errors)."""

from __future__ import annotations

import lastmile_core

project = "lastmile_core"
author = "lastmile_core developers"
release = lastmile_core.__version__
version = release

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.viewcode",
]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "undoc-members": False, "show-inheritance": False}
napoleon_google_docstring = True
napoleon_numpy_docstring = False

exclude_patterns = ["_build"]
html_theme = "alabaster"
html_title = "lastmile_core"
# Docstrings cross-reference numpy/pandas types by name; without intersphinx (no network in CI)
# those targets cannot resolve, which is not an error in our own text.
nitpicky = False
