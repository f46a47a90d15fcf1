"""The Tables workspace (数据表): any table a person brings, mined end to end."""
