; Bindings that can hide deep inside expressions or function bodies. Module-level statements
; (def, class, assignment, import, for, with, del) are read by walking the statement list instead.

; `global x` inside a function: the function may bind x in the module namespace when called.
(global_statement (identifier) @global)

; `(x := value)` evaluated at module level binds x.
(named_expression name: (identifier) @walrus)
