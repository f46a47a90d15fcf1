"""The Tables workspace's part: not kept yet (``PROVIDER = None``).

What it needs from the tables engine, when that exists as a public hook: the open table (embedded
as Parquet, or referenced by path + sha256 + size), the role choice and ``MineSettings``, so the
models are retrained on open (never unpickled) and their CV scores compared with the saved ones.
"""

from __future__ import annotations

PROVIDER = None
