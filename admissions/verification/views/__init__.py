"""The central check's pages: the dossier (dossier.py), the queue and its exports (queue.py)."""
