"""Public notice, objections, naming, certificates, registry and revocation (steps 5-7). Built in a later stage."""
