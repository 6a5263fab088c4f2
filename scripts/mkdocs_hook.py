# MkDocs loads hooks by file path (mkdocs.yml: hooks); the handler lives in the package.
from slmsurvey.hook import on_pre_build  # noqa: F401
