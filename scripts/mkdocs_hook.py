# MkDocs loads hooks by file path (mkdocs.yml: hooks); the handlers live in the package.
from slmsurvey.hook import on_env, on_post_build, on_pre_build, on_serve, on_startup  # noqa: F401
