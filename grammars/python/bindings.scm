; Bindings that can hide deep inside expressions or function bodies. Module-level statements
; (def, class, assignment, import, for, with, del) are read by walking the statement list instead.

; `global x` inside a function: the function may bind x in the module namespace when called.
(global_statement (identifier) @global)

; `(x := value)` evaluated at module level binds x.
(named_expression name: (identifier) @walrus)

; Namespace writes snag cannot follow name by name: globals()[k] = v, globals().update(...),
; vars(), sys.modules[__name__] (then setattr on it).
(call function: (identifier) @_fn (#match? @_fn "^(globals|vars)$")) @namespace
(subscript
  value: (attribute object: (identifier) @_sys attribute: (identifier) @_modules)
  subscript: (identifier) @_name
  (#eq? @_sys "sys") (#eq? @_modules "modules") (#eq? @_name "__name__")) @namespace
