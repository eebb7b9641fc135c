"""What the application's services announce to the stages above them (reviews), which teams does not
import: sent inside the transaction of the change, so that a receiver's writes commit or fail with it."""

from django.dispatch import Signal

# Sent by `application_submit` with `application` (its new version number in `application.version`)
# and `actor`: the application enters the recommendation chain, or goes back to the unit that returned it.
application_submitted = Signal()

# Sent by `application_withdraw` with `application` and `actor`: it leaves the chain before any decision.
application_withdrawn = Signal()
