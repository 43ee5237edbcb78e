"""The dashboard tests use the projects tests' studios and factories."""

from tests.projects.conftest import other_studio, owner, studio  # noqa: F401
