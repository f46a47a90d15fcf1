"""The domains' parts of a project, one module each (the digits, the houses, Compare, the Lab, the
tables). Only ``engine.workbench`` lists them; the project format itself never imports them."""
