"""Service requests' use cases, one module each (see the modules' docstrings):
access, promises, submission, recording, conversation, lifecycle, jobs, notices, history,
queues, mine and panel. Import the module you need: this package re-exports nothing."""
