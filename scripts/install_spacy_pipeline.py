"""Install the Dutch spaCy pipeline this project trains and serves with.

1. nl_core_news_sm, at the version pinned in requirements/spacy-model.txt, from its official
   release wheel, checked against the pinned sha256.
2. Where that download is impossible (no route to the release host, or no verified sha256),
   one loud warning, then a clearly named offline stand-in built here: spaCy's Dutch tokenizer
   and stop words plus the lookup lemmatizer from spacy-lookups-data, packaged as
   `nl_offline_lookup`. It never claims to be nl_core_news_sm.

Idempotent: an already installed pipeline at the pinned version is left alone.
Run with the project's venv Python: `.venv/bin/python scripts/install_spacy_pipeline.py`.
"""
from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import os
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIN_FILE = ROOT / "requirements" / "spacy-model.txt"
DOWNLOAD_TIMEOUT_S = 20


def read_pins(path: Path = PIN_FILE) -> dict[str, str]:
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            pins[key.strip()] = value.strip()
    return pins


def installed_version(package: str) -> str | None:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


def pip_install(*args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", *args], check=True
    )


def try_official_release(pins: dict[str, str]) -> str | None:
    """Return None on success, else the reason the official wheel was not installed."""
    url = pins["url"]
    try:
        with urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT_S) as response:
            payload = response.read()
    except OSError as error:  # URLError, timeouts, DNS failures
        return f"cannot download {url} ({error})"
    digest = hashlib.sha256(payload).hexdigest()
    if pins["sha256"] == "UNVERIFIED":
        return (
            f"downloaded {url} but no verified sha256 is pinned; its sha256 is {digest}. "
            f"Check it against the release page, then write it to {PIN_FILE.relative_to(ROOT)}"
        )
    if digest != pins["sha256"]:
        return f"sha256 mismatch for {url}: expected {pins['sha256']}, got {digest}"
    with tempfile.TemporaryDirectory() as tmp:
        wheel = Path(tmp) / url.rsplit("/", 1)[-1]
        wheel.write_bytes(payload)
        pip_install(str(wheel))
    return None


@contextlib.contextmanager
def quiet_output(log: Path):
    """Send this process's (and its children's) stdout and stderr to `log` meanwhile."""
    log.parent.mkdir(parents=True, exist_ok=True)
    sys.stdout.flush()
    sys.stderr.flush()
    saved = [os.dup(1), os.dup(2)]
    with log.open("wb") as sink:
        os.dup2(sink.fileno(), 1)
        os.dup2(sink.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            for fd in saved:
                os.close(fd)


def build_offline_pipeline(name: str, version: str) -> None:
    """Build, package and install the offline Dutch pipeline `nl_<name>`."""
    import spacy
    from spacy.cli.package import package

    nlp = spacy.blank("nl")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()  # loads the Dutch lemma lookup table from spacy-lookups-data
    short_name = name.split("_", 1)[1]
    nlp.meta.update(
        {
            "name": short_name,
            "version": version,
            "description": (
                "OFFLINE STAND-IN, NOT nl_core_news_sm: spaCy's Dutch tokenizer and stop words "
                "with the lookup lemmatizer from spacy-lookups-data; no tagger, parser or NER. "
                "Built by the metastasen chatbot's installer because the official "
                "nl_core_news_sm release could not be downloaded."
            ),
            "author": "metastasen-chatbot installer",
            "license": "MIT",
            "spacy_version": f">={spacy.about.__version__},<3.5.0",
        }
    )
    build = ROOT / "build" / "spacy"
    source, output = build / "pipeline", build / "package"
    build.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(source)
    output.mkdir(parents=True, exist_ok=True)
    log = build / "package.log"
    try:
        with quiet_output(log):
            package(source, output, create_wheel=True, create_sdist=False, force=True, silent=True)
    except BaseException:
        print(log.read_text(encoding="utf-8", errors="replace")[-4000:], file=sys.stderr)
        raise
    wheels = sorted(output.glob(f"{name}-{version}/dist/*.whl"))
    if not wheels:
        raise SystemExit(f"spacy package did not produce a wheel under {output}")
    pip_install("--force-reinstall", str(wheels[-1]))


def main() -> int:
    pins = read_pins()
    name, version = pins["name"], pins["version"]
    offline_name, offline_version = pins["offline_name"], pins["offline_version"]

    if installed_version(name) == version:
        print(f"spaCy pipeline: {name} {version} is installed.")
        return 0

    reason = try_official_release(pins)
    if reason is None:
        print(f"spaCy pipeline: installed {name} {version} from its official release.")
        return 0

    bar = "!" * 78
    print(
        f"\n{bar}\nWARNING: {name} {version} could not be installed: {reason}.\n"
        f"Falling back to the OFFLINE Dutch pipeline '{offline_name}' (spaCy tokenizer, stop words,\n"
        f"lookup lemmatizer). It is NOT {name}: training and serving work, but lemmas are\n"
        f"poorer. Tests that need {name} will be skipped. Re-run `make install` online to upgrade.\n"
        f"{bar}\n",
        file=sys.stderr,
    )
    if installed_version(offline_name) == offline_version:
        print(f"spaCy pipeline: {offline_name} {offline_version} is already installed.")
        return 0
    build_offline_pipeline(offline_name, offline_version)
    print(f"spaCy pipeline: built and installed {offline_name} {offline_version}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
