"""Teams, members, ledgers and applications with evidence (lifecycle step 2). Built in a later stage."""
