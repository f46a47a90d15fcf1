"""DeepMine Workbench engine: data, models, jobs, cache and reports — no Qt here.

Everything the app computes is reachable from the CLI and the tests without a display.
"""

__version__ = "0.1.0"
APP_NAME = "DeepMine"
