"""What the expert review announces to the stages above it (awards), which reviews does not import:
sent inside the transaction of the change, so that a receiver may refuse it by raising."""

from django.dispatch import Signal

# Sent by `shortlist_record` with `campaign` before it changes the shortlist: a receiver raises a
# ReviewError when the shortlist is no longer the organiser's to change (its public notice is out).
shortlist_changing = Signal()
