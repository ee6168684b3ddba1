"""The model and the rules, pure: quarters, coverage, reminders, the roster, messages, texts.

Nothing in here imports the rest of the project, reads the clock or touches the database;
the layers above (storage, services, handlers, the edges) build on it. tests/test_layers.py
keeps it so.
"""
