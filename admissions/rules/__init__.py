"""The admission rules of the notice as pure, typed functions (no Django import).

Every function takes the campaign's parameters (``params``) and, where time matters, the instant,
and returns a value that explains itself: amounts with their lines, refusals with reasons.
"""
