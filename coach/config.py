"""Settings from the environment and `.env`; every path of state lives under COACH_HOME."""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PACKAGED_MODEL = "all-MiniLM-L6-v2"
# What changes coach's behaviour besides COACH_HOME and COACH_OFFLINE: the tests and the
# benchmark run without these, so a developer's shell cannot reach an LLM or a server.
PERSONAL_ENVIRONMENT = (
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "COACH_LLM_MODEL",
    "COACH_CHROMA_URL",
    "COACH_EMBED_MODEL",
    "COACH_DEBUG",
)


def _default_home() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("coach", appauthor=False))


class Settings(BaseSettings):
    """Everything configurable; built once by the CLI and passed down."""

    model_config = SettingsConfigDict(
        env_prefix="COACH_", env_file=".env", extra="ignore", populate_by_name=True
    )

    home: Path = Field(default_factory=_default_home)
    offline: bool = False
    embed_model: str | None = None
    chroma_url: str | None = None
    llm_model: str | None = None
    llm_timeout: float = 30.0
    openai_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_API_KEY", "openai_api_key")
    )
    openai_base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_BASE_URL", "openai_base_url")
    )

    @property
    def store_dir(self) -> Path:
        return self.home / "store"

    @property
    def history_path(self) -> Path:
        return self.home / "history.sqlite3"

    @property
    def cache_dir(self) -> Path:
        return self.home / "cache"

    @property
    def embed_model_name(self) -> str:
        return self.embed_model or PACKAGED_MODEL

    @property
    def llm_configured(self) -> bool:
        """True when an LLM rubric may be used: a model is named and we are not offline."""
        has_endpoint = self.openai_api_key is not None or self.openai_base_url is not None
        return not self.offline and bool(self.llm_model) and has_endpoint


def bundled_dir(name: str) -> Path:
    """The bundled `knowledge/` or `prompts/` folder: beside the package, or inside the wheel."""
    package = Path(__file__).resolve().parent
    for candidate in (package.parent / name, package / "_bundled" / name):
        if candidate.is_dir():
            return candidate
    return package.parent / name
