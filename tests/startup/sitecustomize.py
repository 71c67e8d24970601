"""Start-up code of the programs the tests start (on their PYTHONPATH, set by ../../conftest.py): it defers
one import-time cost, and changes nothing else.

jsonschema (imported by nbformat, hence by nbgrader, nbval, the mutant runner, every Jupyter server) imports
``rfc3987_syntax`` at its own import to check the rarely used ``iri`` format, and that package builds three
Earley parsers from its grammar as it is imported: 1.25 s of CPU in every such process (measured here on
29 Nov 2026; upstream: python-jsonschema/jsonschema#1428). `make test` starts well over a hundred of them.
Here the package is imported on first use instead: ``is_valid_syntax`` (all jsonschema takes from it) and any
other name load the real package then, so a check of an ``iri`` works and answers exactly as before.

Another ``sitecustomize`` further down ``sys.path`` (a distribution's own) still runs, after this one.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys

_NAME = "rfc3987_syntax"
_HERE = os.path.dirname(os.path.abspath(__file__))


class _DeferredLoader(importlib.abc.Loader):
    def __init__(self, real: importlib.machinery.ModuleSpec) -> None:
        self.real = real
        self.module = None

    def create_module(self, spec):
        return None  # the default module object

    def load_real(self):
        if self.module is None:
            module = importlib.util.module_from_spec(self.real)
            sys.modules[_NAME] = module  # its `from .syntax_helpers import *` needs the package registered
            try:
                self.real.loader.exec_module(module)
            except BaseException:
                sys.modules.pop(_NAME, None)
                raise
            self.module = module
        return self.module

    def exec_module(self, module) -> None:
        load = self.load_real

        def is_valid_syntax(term, value):
            return load().is_valid_syntax(term, value)

        module.is_valid_syntax = is_valid_syntax
        module.__getattr__ = lambda name: getattr(load(), name)  # PEP 562: any other name loads it


class _DeferredFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name != _NAME:
            return None
        real = importlib.machinery.PathFinder.find_spec(name, path)
        if real is None or real.loader is None:
            return None
        spec = importlib.machinery.ModuleSpec(name, _DeferredLoader(real), origin=real.origin, is_package=True)
        spec.submodule_search_locations = real.submodule_search_locations  # its submodules import as usual
        return spec


if _NAME not in sys.modules and not any(isinstance(f, _DeferredFinder) for f in sys.meta_path):
    sys.meta_path.insert(0, _DeferredFinder())

# Run the next sitecustomize on the path, if any (this module has taken its name).
_rest = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]
_next = importlib.machinery.PathFinder.find_spec("sitecustomize", _rest)
if _next is not None and _next.loader is not None and os.path.dirname(os.path.abspath(_next.origin or "")) != _HERE:
    _module = importlib.util.module_from_spec(_next)
    _next.loader.exec_module(_module)
