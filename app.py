"""Serve the Gradio chat UI: `python app.py` (GRADIO_SERVER_NAME / GRADIO_SERVER_PORT, ADVISOR_* settings).

With ADVISOR_UI_AUTH=user:password[,user:password] the UI asks for a login first (see docs/ui.md).
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")


def main() -> None:
    """Build the settings once, load the advisor, launch the UI."""
    from pydantic import ValidationError

    from advisor.chain import Advisor
    from advisor.errors import AdvisorError
    from advisor.settings import Settings
    from advisor.ui import CSS, THEME, build_ui

    try:
        settings = Settings()
        advisor = Advisor(settings)
    except AdvisorError as exc:
        print(f"error: {exc.message}" + (f"\nhint: {exc.hint}" if exc.hint else ""), file=sys.stderr)
        sys.exit(exc.exit_code)
    except ValidationError as exc:
        bad = "; ".join(f"ADVISOR_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in exc.errors())
        print(f"error: invalid setting ({bad})\nhint: fix or unset the variable", file=sys.stderr)
        sys.exit(2)
    if not advisor.ready:
        # Still serve: the chat explains what to do, and answers once the index exists.
        print("warning: the knowledge index is empty; run `advisor ingest knowledge`", file=sys.stderr)
    port = os.environ.get("GRADIO_SERVER_PORT", "7860")
    if not port.isdigit():
        print(f"error: GRADIO_SERVER_PORT must be a port number, not {port!r}", file=sys.stderr)
        sys.exit(2)
    demo = build_ui(advisor, settings)
    demo.queue(default_concurrency_limit=4)
    demo.launch(server_name=os.environ.get("GRADIO_SERVER_NAME", "127.0.0.1"), server_port=int(port),
                theme=THEME, css=CSS, ssr_mode=False, show_error=False, footer_links=["api"])


if __name__ == "__main__":
    main()
