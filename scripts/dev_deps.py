"""Install the libraries a development Home Assistant needs, once.

Run by ``scripts/develop`` inside its own Python environment (the
``develop`` one of scripts/_lib.sh, never the one scripts/test uses: that
stays as its requirement file makes it). That environment is built from the
test requirements: it has Home Assistant but not the libraries of the
integrations Home Assistant sets up on every start (the frontend,
conversation, camera, ...). Home Assistant runs with ``--skip-pip`` there, so
this installs those requirements instead, pinned by Home Assistant's own
constraints, each on its own so that one that cannot be built here (no
compiler, say) does not hold back the others. A stamp in the environment
remembers the outcome until Home Assistant's version or the requirement set
changes. A pinned library that cannot be installed here (a
source-only release needing a compiler) is replaced by its newest release
that comes as a wheel, so that Home Assistant can at least import it.

    python scripts/dev_deps.py CONFIG_DIR

The domains are Home Assistant's defaults, the top-level keys of
CONFIG_DIR/configuration.yaml, the custom integrations in
CONFIG_DIR/custom_components and the integrations onboarding adds (a
text-to-speech engine, the weather, ...; without their libraries those would
be left behind as failed entries), with everything they depend on.
"""

from __future__ import annotations

import hashlib
import importlib.metadata as md
import json
from pathlib import Path
import re
import subprocess
import sys

import homeassistant
from homeassistant.bootstrap import DEFAULT_INTEGRATIONS
from homeassistant.const import __version__ as ha_version

COMPONENTS = Path(homeassistant.__file__).parent / "components"
CONSTRAINTS = Path(homeassistant.__file__).parent / "package_constraints.txt"
STAMP = Path(sys.prefix) / ".gsm-develop-deps"


def configured_domains(config_dir: Path) -> set[str]:
    """Top-level keys of configuration.yaml (a light look, no YAML parser)."""
    try:
        text = (config_dir / "configuration.yaml").read_text()
    except OSError:
        return set()
    return {m[1] for m in re.finditer(r"^([a-z0-9_]+):", text, re.MULTILINE)}


def onboarding_domains() -> set[str]:
    """The integrations the onboarding's core_config step sets up."""
    try:
        text = (COMPONENTS / "onboarding" / "views.py").read_text()
    except OSError:
        return set()
    match = re.search(r"onboard_integrations\s*=\s*\[([^\]]*)\]", text)
    return set(re.findall(r"[\"']([a-z0-9_]+)[\"']", match[1])) if match else set()


def requirements(domains: set[str], config_dir: Path) -> dict[str, str]:
    """Requirement -> integration asking for it, over the dependency closure."""
    found: dict[str, str] = {}
    seen: set[str] = set()
    todo = list(domains)
    while todo:
        domain = todo.pop()
        manifest = config_dir / "custom_components" / domain / "manifest.json"
        if not manifest.is_file():
            manifest = COMPONENTS / domain / "manifest.json"
        if domain in seen or not manifest.is_file():
            continue
        seen.add(domain)
        data = json.loads(manifest.read_text())
        for req in data.get("requirements", []):
            found.setdefault(req, domain)
        todo.extend(data.get("dependencies", []))
    return found


def split(req: str) -> tuple[str, str]:
    """``name==version`` -> (name, version); version empty when not pinned."""
    name, _, version = req.partition("==")
    return re.split(r"[\[<>=!~; ]", name, maxsplit=1)[0], version


def installed(req: str) -> bool:
    """Whether a ``name==version`` requirement is met already."""
    name, version = split(req)
    try:
        have = md.version(name)
    except md.PackageNotFoundError:
        return False
    return not version or have == version


def pip(*args: str) -> str | None:
    """Run pip quietly; None on success, else its most telling error line."""
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode == 0:
        return None
    lines = [ln.strip() for ln in result.stderr.splitlines() if ln.strip()] or ["?"]
    return next((ln for ln in lines if ln.startswith("ERROR:")), lines[-1])


def main() -> int:
    """Install what is missing; 1 only if the frontend could not be installed."""
    if not Path(sys.prefix).name.endswith("-develop"):
        print(
            f"dev_deps: {sys.prefix} is not the development environment; "
            "run scripts/develop (it keeps the test environment clean)",
            file=sys.stderr,
        )
        return 2
    config_dir = Path(sys.argv[1])
    custom = {
        p.parent.name for p in config_dir.glob("custom_components/*/manifest.json")
    }
    domains = (
        set(DEFAULT_INTEGRATIONS)
        | configured_domains(config_dir)
        | custom
        | onboarding_domains()
    )
    wanted = requirements(domains, config_dir)
    key = hashlib.sha256(json.dumps([ha_version, sorted(wanted)]).encode()).hexdigest()
    try:
        stamp = json.loads(STAMP.read_text())
    except (OSError, ValueError):
        stamp = {}
    missing = [req for req in sorted(wanted) if not installed(req)]
    if stamp.get("key") == key and set(missing) <= set(stamp.get("unmet", [])):
        return 0  # done before; what could not be met then cannot be now
    failed: list[str] = []
    for req in missing:
        print(f"dev_deps: installing {req} (for {wanted[req]})", flush=True)
        why = pip("--prefer-binary", "-c", str(CONSTRAINTS), req)
        if why is None:
            continue
        # Typically a source-only release of a compiled library (no compiler
        # here). A newer release with a ready-made wheel at least lets Home
        # Assistant import the integration, which the frontend relies on:
        # loading the service descriptions imports every base integration.
        name, _ = split(req)
        if pip("--only-binary", ":all:", name) is None:
            print(
                f"dev_deps:   {req} could not be installed ({why}); "
                f"using {name} {md.version(name)} instead",
                flush=True,
            )
            continue
        failed.append(req)
        print(f"dev_deps:   could not install {req}: {why}", flush=True)
    if failed:
        print(
            "dev_deps: Home Assistant will log 'Setup failed' for "
            + ", ".join(sorted({wanted[req] for req in failed})),
            flush=True,
        )
    unmet = [req for req in missing if not installed(req)]
    STAMP.write_text(json.dumps({"key": key, "unmet": unmet}) + "\n")
    if any(req.startswith("home-assistant-frontend") for req in failed):
        print("dev_deps: without the frontend there is no UI", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
