; Calls that load a module by a literal name, anywhere in the file. Static import and export
; statements are read from the module's statement list (they may appear nowhere else).

; import("./x") and import(`./x`)
(call_expression
  function: (import)
  arguments: (arguments . [(string) (template_string)] @spec)) @call

; require("./x")
(call_expression
  function: (identifier) @fn
  arguments: (arguments . [(string) (template_string)] @spec)
  (#eq? @fn "require")) @call
