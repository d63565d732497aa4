"""One module per agenda step: its view and its dialogs; registry.py maps a step kind to
its view."""
