; pytest marks used: @pytest.mark.slow, pytestmark = [pytest.mark.x], pytest.param(..., marks=pytest.mark.y)
(attribute
  object: (attribute object: (identifier) @_pytest attribute: (identifier) @_mark)
  attribute: (identifier) @marker
  (#eq? @_pytest "pytest")
  (#eq? @_mark "mark"))

; `from pytest import mark` then @mark.slow: kept only when `mark` is bound by that import.
(attribute
  object: (identifier) @_bare
  attribute: (identifier) @marker.bare
  (#eq? @_bare "mark"))

; config.addinivalue_line("markers", "slow: runs slowly") registers a marker.
(call
  function: (attribute attribute: (identifier) @_fn)
  arguments: (argument_list . (string) @registration.kind . (string) @registration.value)
  (#eq? @_fn "addinivalue_line"))
