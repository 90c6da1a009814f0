"""
Realistic demo service pages at scale, for benchmarks and query-budget tests.

Each page gets a varied mix of sections (intro, text, feature lists, key figures, FAQ, code,
call to action) built from a small vocabulary, deterministic for a given seed, and is published
with a revision like a page an editor made.
"""

import random

from django.db import transaction
from django.utils.text import slugify

from .models import ServiceIndexPage, ServicePage

TECHNOLOGIES = [
    "Django", "FastAPI", "Flask", "Pyramid", "Celery", "Pandas", "React", "Vue", "Svelte", "Next.js",
    "Node.js", "Go", "Rust", "Kotlin", "Swift", "PostgreSQL", "Redis", "Kubernetes", "Terraform", "GraphQL",
]  # fmt: skip
QUALITIES = ["Scalable", "Secure", "Fast", "Flexible", "Well documented", "Mature", "Lightweight", "Testable"]
DRAWBACKS = ["Learning curve", "Smaller ecosystem", "Hosting costs", "Hiring market", "Upgrade effort"]
SENTENCES = [
    "Our developers have shipped it to production for clients in finance, health and retail.",
    "It keeps simple things simple and leaves room for the complicated ones.",
    "Teams pick it when they need to move fast without painting themselves into a corner.",
    "We pair it with automated tests, continuous delivery and careful monitoring.",
    "Its community maintains a healthy set of extensions for most everyday needs.",
    "Performance is predictable, and the tooling makes problems easy to find.",
]


def _paragraph(rng: random.Random, sentences: int = 3) -> str:
    return " ".join(rng.sample(SENTENCES, k=sentences))


def demo_sections(rng: random.Random, technology: str) -> list[tuple[str, dict]]:
    sections = [("intro", {"lead": f"{technology} development services from NextBigIt. {_paragraph(rng, 2)}"})]
    sections.append(("text", {"heading": f"What is {technology}?", "body": f"<p>{_paragraph(rng)}</p>"}))
    sections.append(
        (
            "feature_list",
            {
                "heading": f"Advantages of {technology}",
                "intro": "Why clients choose it:",
                "kind": "advantages",
                "items": [
                    {"title": title, "text": _paragraph(rng, 2), "icon": ""} for title in rng.sample(QUALITIES, 4)
                ],
            },
        )
    )
    sections.append(
        (
            "feature_list",
            {
                "heading": f"Disadvantages of {technology}",
                "intro": "What to plan for:",
                "kind": "disadvantages",
                "items": [
                    {"title": title, "text": _paragraph(rng, 2), "icon": ""} for title in rng.sample(DRAWBACKS, 2)
                ],
            },
        )
    )
    if rng.random() < 0.6:
        figures = [
            {"value": f"{rng.randint(10, 250)}+", "label": label} for label in ("projects", "clients", "releases")
        ]
        sections.append(("key_figures", {"heading": "In numbers", "items": figures}))
    if rng.random() < 0.5:
        answer = f"<p>{_paragraph(rng, 2)}</p>"
        questions = [f"How long does a {technology} project take?", f"Can you take over an existing {technology} app?"]
        sections.append(
            ("faq", {"heading": "Questions", "items": [{"question": q, "answer": answer} for q in questions]})
        )
    if rng.random() < 0.4:
        code = f"# {technology}\nprint('hello from NextBigIt')\n"
        sections.append(("code", {"language": "python", "caption": "A first step", "code": code}))
    sections.append(
        (
            "call_to_action",
            {
                "heading": f"Hire {technology} developers",
                "text": _paragraph(rng, 2),
                "button_label": "Talk to us",
                "button_page": None,
                "button_url": f"/contact/?service={slugify(technology)}",
            },
        )
    )
    return sections


@transaction.atomic
def generate_demo_pages(index: ServiceIndexPage, count: int, seed: int = 1) -> list[ServicePage]:
    """Create and publish `count` service pages under `index`, with slugs that do not clash with existing ones."""
    rng = random.Random(seed)  # noqa: S311 - repeatable demo text, not security
    stream_block = ServicePage._meta.get_field("sections").stream_block
    taken = set(ServicePage.objects.child_of(index).values_list("slug", flat=True))
    created = []
    number = 0
    while len(created) < count:
        number += 1
        technology = TECHNOLOGIES[number % len(TECHNOLOGIES)]
        slug = f"{slugify(technology)}-{number}"
        if slug in taken:
            continue
        raw = [{"type": block_type, "value": value} for block_type, value in demo_sections(rng, technology)]
        page = ServicePage(
            title=f"{technology} development services #{number}",
            slug=slug,
            summary=f"{technology} specialists who ship: {_paragraph(rng, 1)}",
            technology_name=technology,
            search_description=f"Hire {technology} developers from NextBigIt.",
            sections=stream_block.to_python(raw),
        )
        index.add_child(instance=page)
        page.save_revision().publish()
        created.append(page)
    return created
