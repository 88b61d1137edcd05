"""The central check's pages: the dossier (dossier.py) and the queue (queue.py)."""
