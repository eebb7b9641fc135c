"""Putting a service's refusals on the form that asked for them: field errors beside their fields
(under the form's own names where they differ from the service's), the rest at the top."""

from collections.abc import Callable

from django.core.exceptions import ValidationError


def errors_to_form(form, error: ValidationError, *, renamed: dict[str, str] | None = None) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            field = (renamed or {}).get(field, field)
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def into_form(
    form,
    call: Callable[[], object],
    *,
    refusals: tuple[type[Exception], ...],
    renamed: dict[str, str] | None = None,
    refusal_field: str | None = None,
) -> bool:
    """Run a service call; its ValidationError and its domain `refusals` become the form's errors,
    shown beside what was typed. True when it went through."""
    try:
        call()
    except ValidationError as error:
        errors_to_form(form, error, renamed=renamed)
        return False
    except refusals as error:
        form.add_error(refusal_field, str(error))
        return False
    return True
