"""Parts of corett/settings.py that stand on their own (the API, stored files, logging), each read
by settings.py under the names Django and the code know: settings.py stays the one place to look."""
