"""The mail outbox, the in-app inbox and deadline reminders. Built in a later stage."""
