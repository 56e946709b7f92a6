from django.core.exceptions import ValidationError


def apply_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form, the one way every page does it.

    A form whose errors belong to rows or sections (a project's deliverables, a profile's
    skills, an application's answers) says where with its own `apply_service_errors`; any
    other form gets each error next to its field, or at the top.
    """
    placed = getattr(form, "apply_service_errors", None)
    if placed is not None:
        placed(exc)
    else:
        errors_by_field(form, exc)


def errors_by_field(form, exc: ValidationError) -> None:
    """Each error next to the field of the same name when the form has it, else at the top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
