"""Who may read the audit trail."""

import rules


@rules.predicate
def can_read_audit_trail(user) -> bool:
    return user.is_superuser or bool(user.audit_scope_paths())


rules.add_perm("audit.view_trail", rules.is_authenticated & can_read_audit_trail)
