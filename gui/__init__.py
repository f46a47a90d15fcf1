"""DeepMine Workbench desktop GUI: a thin PySide6 adapter over ``engine``."""
