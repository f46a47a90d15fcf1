"""``make bench``: every speed and accuracy figure the issues ask for, as one JSON object."""
