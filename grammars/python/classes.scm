; Class statements, wherever they are: whether they run at import is decided from the context.
(class_definition name: (identifier) @class.name) @class
