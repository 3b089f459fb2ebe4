"""HTTP routes for the takeaways: POST /api/v1/review, POST /api/v1/tco (JSON, SVG, PNG), GET .../adr."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Body, Depends, Query, Response
from pydantic import BaseModel, Field

from .review import StackReview
from .review import markdown as review_markdown
from .takeaways import Takeaways
from .tco import TcoInputs, TcoResult, chart


class ReviewText(BaseModel):
    """A stack described in free text instead of the structured shape."""

    text: str = Field(max_length=4000, examples=["Airflow, a homegrown feature store, W&B, no monitoring, 12 engineers, HIPAA"])


class ReviewResponse(StackReview):
    markdown: str


class TcoRequest(TcoInputs):
    conversation_id: str | None = Field(None, description="Fill inputs left out with numbers said in this conversation.")


def takeaways_router(advisor, guard) -> APIRouter:
    """The routes, behind the same key check and rate limit as /api/v1/ask."""
    t = Takeaways(advisor.settings, advisor)
    api = APIRouter(prefix="/api/v1", dependencies=[Depends(guard)], tags=["takeaways"])

    @api.post("/review", response_model=ReviewResponse)
    def review_stack(body: dict = Body(..., examples=[{
            "team": {"engineers": 12}, "conditions": ["regulated"],
            "components": {"feature-store": {"state": "built", "what": "homegrown Redis cache"},
                           "ml-monitoring": {"state": "none"}}}])) -> dict:
        """Review a whole stack: {team, conditions, components: {slug: {state, what}}} or {text: "..."}."""
        rv = t.review(text=ReviewText.model_validate(body).text) if set(body) == {"text"} else t.review(body, source="body")
        return {**rv.model_dump(), "markdown": review_markdown(rv)}

    @api.post("/tco", response_model=TcoResult, responses={200: {"content": {"image/svg+xml": {}, "image/png": {}}}})
    def tco(body: TcoRequest, format: Literal["json", "svg", "png"] = Query("json")):
        """Cumulative build vs buy cost, break-even month and sensitivity; `?format=svg|png` for the chart."""
        result = t.tco(TcoInputs(**body.model_dump(exclude={"conversation_id"}, exclude_none=True)), body.conversation_id)
        if format == "json":
            return result
        return Response(chart(result, format), media_type="image/svg+xml" if format == "svg" else "image/png")

    @api.get("/conversations/{conversation_id}/adr", response_class=Response,
             responses={200: {"content": {"text/markdown": {}}}})
    def adr(conversation_id: str) -> Response:
        """The conversation as an Architecture Decision Record (MADR, Markdown)."""
        return Response(t.adr(conversation_id), media_type="text/markdown; charset=utf-8",
                         headers={"Content-Disposition": f'attachment; filename="adr-{conversation_id[:12]}.md"'})

    return api
