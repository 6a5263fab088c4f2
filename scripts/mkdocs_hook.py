# MkDocs loads hooks by file path (mkdocs.yml: hooks); the handlers live in the package.
from slmsurvey.engines.hook import (  # noqa: F401
    on_build_error, on_env, on_files, on_post_build, on_post_page, on_pre_build, on_serve, on_startup)
