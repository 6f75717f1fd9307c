"""How a fixture case states its options: `options.json` in its folder.

Besides the `Options` fields, `path` is the file's path in its project (where it runs:
`app/api/track/route.ts`), given to the engine in place of `input.<ext>`, and `facts` is
what the project around the file says (`FileFacts`: its manifest.json, its tsconfig.json).
"""

from __future__ import annotations

import json
from pathlib import Path

from codemod.options import FileFacts, Options


def case_options(folder: Path, name: str) -> tuple[str, Options]:
    """(the path the engine is given, the options) of the case in `folder` whose input is
    `name`."""
    options_file = folder / "options.json"
    settings = json.loads(options_file.read_text()) if options_file.exists() else {}
    path = settings.pop("path", name)
    facts = FileFacts(**settings.pop("facts", {}))
    return path, Options(**settings, facts=facts)
