"""The staff's and experts' pages of the reviews app: the recommendation chain (chain.py) and the
expert review (experts.py)."""
