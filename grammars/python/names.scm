; What makes undefined-name give up on a file (src/parse/python/names.ts). `global` statements and
; walrus targets come from bindings.scm.

; `from __future__ import annotations`: every annotation stays a string.
(future_import_statement name: (dotted_name) @names.future)
(future_import_statement name: (aliased_import name: (dotted_name) @names.future))

; exec/eval/locals/globals/vars: namespaces written without naming what.
(call function: (identifier) @names.dynamic
  (#match? @names.dynamic "^(exec|execfile|eval|locals|globals|vars)$"))

; A call handed `__name__` may reach the module through sys.modules and bind anything.
(call arguments: (argument_list (identifier) @_name (#eq? @_name "__name__"))) @names.handed
(call arguments: (argument_list (keyword_argument value: (identifier) @_kwname (#eq? @_kwname "__name__")))) @names.handed

; A frame's globals are the module's namespace under another name.
(attribute attribute: (identifier) @names.frame (#match? @names.frame "^(f_globals|f_locals)$"))
