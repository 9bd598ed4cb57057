; Every statement or call that imports a module. Context (function body, try/except guard,
; `if TYPE_CHECKING:` ...) is derived from the node's ancestors, not here.

(import_statement) @import
(import_from_statement) @from
(future_import_statement) @future

; importlib.import_module("x"), import_module("x"), __import__("x"), pytest.importorskip("x").
; Only a literal first argument names a module snag can resolve.
(call
  function: [(identifier) (attribute)] @dynamic.callee
  arguments: (argument_list . (string) @dynamic.module)
  (#match? @dynamic.callee "^(importlib\\.import_module|import_module|__import__|pytest\\.importorskip|importorskip)$")) @dynamic

; Statements that can fail an import by themselves when they run at module level.
(raise_statement) @raise
(assert_statement) @assert
