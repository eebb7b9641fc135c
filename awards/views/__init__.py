"""The pages of the public notice and the naming: the staff's (staff.py) and the public's (public.py)."""
