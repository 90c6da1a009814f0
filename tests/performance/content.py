"""
Content for query-budget tests: sections that look up everything sections can look up (images,
linked pages, shared calls to action, pages linked from rich text), in any number.
"""

import itertools

import wagtail_factories

from pages.models import CallToAction

# One of each kind of section that looks something up; a page with these is the smallest that
# makes every kind of lookup (the hero adds an image and two linked pages).
LOOKUP_SECTIONS = ["image", "testimonial", "call_to_action", "shared_call_to_action", "faq", "text"]
# Sections that look nothing up, mixed into bigger pages as editors would.
PLAIN_SECTIONS = ["feature_list", "key_figures", "code"]


def new_image():
    return wagtail_factories.ImageFactory(file__width=1600, file__height=900)


class SectionMaker:
    """Builds raw sections in which every image, linked page and shared call to action differs from the last."""

    def __init__(self, link_targets: list):
        self.targets = itertools.cycle(link_targets)
        self.counter = itertools.count(1)

    def page_link(self, text: str) -> str:
        return f'<a linktype="page" id="{next(self.targets).pk}">{text}</a>'

    def image(self, decorative: bool = False) -> dict:
        return {"image": new_image().pk, "decorative": decorative, "alt_text": "" if decorative else "A whiteboard"}

    def section(self, kind: str) -> dict:
        number = next(self.counter)
        if kind == "hero":
            value = {
                "heading": "Apps that scale",
                "lead": "Senior developers, lean code.",
                "image": self.image(),
                "primary_button": {"label": "Talk to us", "page": next(self.targets).pk, "url": ""},
                "secondary_button": {"label": "Our work", "page": next(self.targets).pk, "url": ""},
            }
        elif kind == "intro":
            value = {"lead": "What we offer, in one sentence."}
        elif kind == "image":
            value = {"image": self.image(), "caption": f"Figure {number}", "attribution": "Photo: NextBigIt"}
        elif kind == "testimonial":
            photo = self.image(decorative=True)
            value = {"quote": "They shipped.", "name": "Jane Doe", "role": "CTO", "company": "Acme", "photo": photo}
        elif kind == "call_to_action":
            value = {
                "heading": f"Next step {number}",
                "text": "Tell us about your project.",
                "button_label": "Read on",
                "button_page": next(self.targets).pk,
                "button_url": "",
            }
        elif kind == "shared_call_to_action":
            value = CallToAction.objects.create(
                name=f"Shared call to action {number}",
                heading=f"Hire us ({number})",
                text="We would love to help.",
                button_label="Talk to us",
                link_page=next(self.targets),
            ).pk
        elif kind == "faq":
            value = {
                "heading": f"Questions {number}",
                "items": [
                    {"question": "How long?", "answer": f"<p>See {self.page_link('our process')}.</p>"},
                    {
                        "question": "Who?",
                        "answer": f'<p>Meet {self.page_link("the team")} or <a href="https://example.com/">us</a>.</p>',
                    },
                ],
            }
        elif kind == "text":
            value = {"heading": f"Section {number}", "body": f"<p>Read {self.page_link('more')} about it.</p>"}
        elif kind == "feature_list":
            value = {
                "heading": f"Advantages {number}",
                "intro": "",
                "kind": "advantages",
                "items": [{"title": "Fast", "text": "Quick to build.", "icon": "bolt"}],
            }
        elif kind == "key_figures":
            value = {"heading": f"Numbers {number}", "items": [{"value": "120+", "label": "projects"}]}
        else:
            value = {"language": "python", "caption": "", "code": "print('hello')\n"}
        return {"type": kind, "value": value}

    def sections(self, count: int) -> list[dict]:
        """`count` sections: a hero, then one of each section that looks something up, then a mix of all kinds."""
        kinds = ["hero", *LOOKUP_SECTIONS]
        assert count >= len(kinds), f"a page needs {len(kinds)} sections for every kind of lookup"
        if count > len(kinds):
            kinds.append("intro")
        mix = itertools.cycle(LOOKUP_SECTIONS + PLAIN_SECTIONS)
        kinds += [next(mix) for _ in range(count - len(kinds))]
        return [self.section(kind) for kind in kinds]
