"""The deep-learning lab: network specs, the guided experiments, lessons and their report section.

Only ``build`` (and the tasks that call it) import TensorFlow, and only in the worker process."""
