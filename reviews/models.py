"""The recommendation chain, expert review, aggregation and shortlist (steps 3-4). Built in a later stage."""
