"""Campaign notices, criteria sets, timelines and quotas (lifecycle step 1). Built in a later stage."""
