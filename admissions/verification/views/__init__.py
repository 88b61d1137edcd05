"""The staff pages of the central check (R4): the queue and its exports here (queue.py)."""
