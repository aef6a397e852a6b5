"""The rating's legal procedure (SPEC section 5a): the notice that tells an employer its level,
the objection against it, and when a C listing is final for partner departments.

``models`` (Notice, Objection and their counters and attachments), ``services`` (the writes),
``selectors`` (due and overdue lists, "objection under review", the final partner list),
``letters`` (the PDFs), ``forms`` and ``views`` (the pages)."""
