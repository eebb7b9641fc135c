"""Shared building blocks with no business rules, beneath every app: counted text, the Excel
export, uploads, private files, PDFs, and the project-wide middleware and logging."""
