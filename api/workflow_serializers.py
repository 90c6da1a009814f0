"""
Serializers of the management API's revision history and publishing workflow.

    RevisionSerializer                  a revision in a page's history: when, by whom, whether latest or live
    revision_detail_serializer_for(M)   the same plus `type` and `content`, for page type M
    page_content_serializer_for(M)      a page's content as its edit form holds it, sections in the input format
    RevisionCompareParams               `?from=&to=` of a comparison
    RevisionComparisonSerializer        what changed between two revisions (computed by `api.revision_diff`)
    NoBody                              the body of `POST …/publish/`, `…/submit/` and `…/revert/`: nothing, or `{}`
    ScheduleSerializer                  the body of `POST …/schedule/`
    UnpublishSerializer                 the body of `POST …/unpublish/`
    PageStateResultSerializer           the answer to a revert, publish, unpublish or schedule
    WorkflowStateSerializer             the moderation a page is in, answered by `POST …/submit/`

Serializers that describe a revision need the page in their context (`context["page"]`, its specific
instance): a revision only says what it is in relation to its page's latest and live revisions.
"""

from functools import cache

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers
from wagtail.fields import StreamField
from wagtail.models import Page, Revision, WorkflowState

from pages.type_labels import page_type_label

from .schema import SectionsInputFieldExtension
from .sections_input import SectionsInputField, section_input_value
from .serializers import api_page_models, page_detail_union
from .write_serializers import WriteResultSerializer


def _with_from(fields: dict, from_field: serializers.Field) -> dict:
    """`fields` with a field named `from` (a Python keyword, so not declarable as an attribute) placed before `to`."""
    named = {}
    for name, field in fields.items():
        if name == "to":
            named["from"] = from_field
        named[name] = field
    return named


class RevisionSerializer(serializers.ModelSerializer):
    """One revision in a page's history."""

    user = serializers.SerializerMethodField(help_text="Username of who saved the revision; null if unknown.")
    title = serializers.SerializerMethodField(help_text="The page's title in this revision.")
    is_latest = serializers.SerializerMethodField(help_text="Whether this is the page's latest revision (its draft).")
    is_live = serializers.SerializerMethodField(help_text="Whether this revision is what the page shows live.")

    class Meta:
        model = Revision
        fields = ["id", "created_at", "user", "title", "is_latest", "is_live", "approved_go_live_at"]
        read_only_fields = fields
        extra_kwargs = {
            "approved_go_live_at": {
                "help_text": "When this revision is scheduled to go live; null unless it is waiting to be published."
            }
        }

    def get_user(self, revision) -> str | None:
        return revision.user.get_username() if revision.user_id else None

    def get_title(self, revision) -> str:
        # `object_str` is the page's str(), its title, saved with the revision: the content need not be loaded.
        return revision.object_str or revision.content.get("title", "")

    def get_is_latest(self, revision) -> bool:
        return revision.pk == self.context["page"].latest_revision_id

    def get_is_live(self, revision) -> bool:
        return revision.pk == self.context["page"].live_revision_id


class StoredSectionsField(SectionsInputField):
    """
    A StreamField exactly as the revision stores it: Wagtail's stored JSON is the input format, so the
    sections can be sent back as they are. Read as stored, not through the blocks, so that nothing is
    looked up and every read of a revision gives the same bytes (no ids made up for list items stored
    without one).
    """

    def to_representation(self, value) -> list[dict]:
        return list(value.raw_data)


class StoredSectionsFieldExtension(SectionsInputFieldExtension):
    """Types `StoredSectionsField` as the input format, which it is."""

    target_class = "api.workflow_serializers.StoredSectionsField"


class PageContentSerializer(serializers.ModelSerializer):
    """Base of the content serializers: StreamFields in the input format, so content read here can be written back."""

    def build_standard_field(self, field_name, model_field):
        if isinstance(model_field, StreamField):
            return StoredSectionsField, {"stream_block": model_field.stream_block}
        return super().build_standard_field(field_name, model_field)


def page_content_fields(model: type[Page]) -> list[str]:
    """The model fields of the page type's edit form (content, promote and settings tabs), in form order."""
    concrete = {field.name for field in model._meta.concrete_fields}
    form_fields = model.get_edit_handler().get_form_options().get("fields", [])
    return [name for name in form_fields if name in concrete]


@cache
def page_content_serializer_for(model: type[Page]) -> type[PageContentSerializer]:
    """A page's content as its edit form holds it: chosen objects as ids, sections as Wagtail stores them."""
    fields = page_content_fields(model)
    meta = type("Meta", (), {"model": model, "fields": fields, "read_only_fields": fields})
    doc = f"The content of a {model._meta.verbose_name} revision, as its edit form holds it."
    return type(f"{model.__name__}ContentSerializer", (PageContentSerializer,), {"Meta": meta, "__doc__": doc})


def stream_blocks_of(model: type[Page]) -> dict:
    """The page type's StreamFields that are part of its content, by name."""
    return {
        name: model._meta.get_field(name).stream_block
        for name in page_content_fields(model)
        if isinstance(model._meta.get_field(name), StreamField)
    }


def revision_content(page: Page, revision: Revision, context: dict) -> dict:
    """`revision`'s content serialized for `page`'s type (`page` is the specific page the revision belongs to)."""
    serializer_class = page_content_serializer_for(type(page))
    return serializer_class(page.with_content_json(revision.content), context=context).data


def comparable_content(page: Page, revision: Revision, context: dict) -> dict:
    """
    `revision_content`, with the sections read through their blocks and written back: fields a block
    gained since take their defaults and rich text is cleaned as it would be saved, so that two
    revisions differ only where what they say differs.
    """
    version = page.with_content_json(revision.content)
    content = dict(page_content_serializer_for(type(page))(version, context=context).data)
    for name in stream_blocks_of(type(page)):
        content[name] = [section_input_value(child) for child in getattr(version, name)]
    return content


@cache
def revision_detail_serializer_for(model: type[Page]) -> type[RevisionSerializer]:
    """A revision of a page of type `model`, with its content."""
    label = page_type_label(model)
    content_serializer = page_content_serializer_for(model)

    @extend_schema_field({"type": "string", "const": label, "description": "The page type."})
    def get_type(self, revision) -> str:
        return label

    @extend_schema_field(content_serializer)
    def get_content(self, revision) -> dict:
        return revision_content(self.context["page"], revision, self.context)

    fields = [*RevisionSerializer.Meta.fields, "type", "content"]
    meta = type("Meta", (RevisionSerializer.Meta,), {"fields": fields, "read_only_fields": fields})
    attributes = {
        "Meta": meta,
        "__doc__": f"A revision of a {model._meta.verbose_name}, with its content.",
        "type": serializers.SerializerMethodField(),
        "content": serializers.SerializerMethodField(
            help_text="The page as this revision holds it; the same shape the page writes take."
        ),
        "get_type": get_type,
        "get_content": get_content,
    }
    return type(f"{model.__name__}RevisionSerializer", (RevisionSerializer,), attributes)


# `from` is a Python keyword, so the parameters are declared by name rather than as class attributes.
RevisionCompareParams = type(
    "RevisionCompareParams",
    (serializers.Serializer,),
    {
        "__doc__": "Query parameters of the revision comparison.",
        "from": serializers.IntegerField(min_value=1, help_text="The revision to compare from (the older one)."),
        "to": serializers.IntegerField(
            required=False, min_value=1, help_text="The revision to compare to; the page's latest when left out."
        ),
    },
)


class FieldChangeSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The page field, as named in a revision's `content`.")
    before = serializers.JSONField(allow_null=True, help_text="Its value in `from`.")
    after = serializers.JSONField(allow_null=True, help_text="Its value in `to`.")


class LocatedSectionSerializer(serializers.Serializer):
    id = serializers.UUIDField(help_text="The section's id.")
    type = serializers.CharField(help_text="The section's type.")
    position = serializers.IntegerField(
        help_text="Its index in the sections of `to` (added, changed) or of `from` (removed)."
    )


class MovedSectionSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    type = serializers.CharField()
    to = serializers.IntegerField(help_text="Its index in the sections of `to`.")

    def get_fields(self):
        return _with_from(
            super().get_fields(), serializers.IntegerField(help_text="Its index in the sections of `from`.")
        )


class LeafChangeSerializer(serializers.Serializer):
    pointer = serializers.CharField(
        help_text="JSON pointer into the section's `value`, list items as plain values: `/items/1/title`."
    )
    before = serializers.JSONField(allow_null=True, help_text="The value in `from`; null where there was none.")
    after = serializers.JSONField(allow_null=True, help_text="The value in `to`; null where there is none.")


class ChangedSectionSerializer(LocatedSectionSerializer):
    changes = LeafChangeSerializer(many=True, help_text="Every value that differs, in document order.")


class SectionsComparisonSerializer(serializers.Serializer):
    added = LocatedSectionSerializer(many=True, help_text="Sections only `to` has, in its order.")
    removed = LocatedSectionSerializer(many=True, help_text="Sections only `from` has, in its order.")
    moved = MovedSectionSerializer(
        many=True,
        help_text="The fewest sections whose displacement explains the new order (adding one at the top moves none).",
    )
    changed = ChangedSectionSerializer(many=True, help_text="Sections whose value differs, in the order of `to`.")


class RevisionComparisonSerializer(serializers.Serializer):
    """What changed from one revision of a page to another."""

    to = RevisionSerializer(help_text="The revision compared to.")
    # Declared fields are collected by DRF's metaclass: this does not shadow `Serializer.fields`.
    fields = FieldChangeSerializer(many=True, help_text="Page fields that differ, in the order of the edit form.")
    sections = SectionsComparisonSerializer(
        allow_null=True, help_text="Section by section, matched by id; null for page types without sections."
    )

    def get_fields(self):
        return _with_from(super().get_fields(), RevisionSerializer(help_text="The revision compared from."))


class NoBody(serializers.Serializer):
    """Operations that act on the page as it is take no body; any member sent is refused as unknown."""


class ScheduleSerializer(serializers.Serializer):
    """When the latest revision goes live and when the page expires; both keys are required, null for none."""

    go_live_at = serializers.DateTimeField(
        allow_null=True, help_text="When the page goes live; null to publish it now. Must be in the future."
    )
    expire_at = serializers.DateTimeField(
        allow_null=True, help_text="When the page is unpublished by itself; null for never. After `go_live_at`."
    )

    def validate_go_live_at(self, value):
        if value is not None and value <= timezone.now():
            raise serializers.ValidationError("The go-live date must be in the future; send null to publish now.")
        return value

    def validate_expire_at(self, value):
        if value is not None and value <= timezone.now():
            raise serializers.ValidationError("The expiry date must be in the future.")
        return value

    def validate(self, data):
        go_live_at, expire_at = data["go_live_at"], data["expire_at"]
        if go_live_at is not None and expire_at is not None and expire_at <= go_live_at:
            raise serializers.ValidationError({"expire_at": "The expiry date must be after the go-live date."})
        return data


class UnpublishSerializer(serializers.Serializer):
    recursive = serializers.BooleanField(
        default=False, help_text="Also unpublish the page's live descendants that you may unpublish."
    )


def revision_detail_union() -> PolymorphicProxySerializer:
    """A revision of any page type, with its content."""
    return PolymorphicProxySerializer(
        component_name="PageRevisionDetail",
        serializers=lambda: {
            page_type_label(model): revision_detail_serializer_for(model) for model in api_page_models()
        },
        resource_type_field_name="type",
    )


@extend_schema_field(page_detail_union())
class PageDetailField(serializers.JSONField):
    """The page's detail, as `?version=draft` reads it (the view serializes it with its type's serializer)."""


class PageStateResultSerializer(WriteResultSerializer):
    """The page after a revert, publish, unpublish or schedule: the write envelope, for any page type."""

    revision_id = serializers.IntegerField(
        help_text="The page's latest revision after the operation; the response's `ETag` is `\"revision-<id>\"`."
    )
    page = PageDetailField(read_only=True, help_text="The page as its latest revision has it.")

    class Meta:
        ref_name = "PageStateResult"


class NamedReferenceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class WorkflowStateSerializer(serializers.ModelSerializer):
    """The moderation workflow a page is in."""

    workflow = NamedReferenceSerializer(help_text="The workflow the page was submitted to.")
    current_task = serializers.SerializerMethodField(help_text="The step waiting for a reviewer; null once finished.")
    requested_by = serializers.SerializerMethodField(help_text="Username of who submitted the page.")
    revision_id = serializers.SerializerMethodField(help_text="The revision under review.")

    class Meta:
        model = WorkflowState
        fields = ["id", "status", "workflow", "current_task", "requested_by", "revision_id", "created_at"]
        read_only_fields = fields

    @extend_schema_field(NamedReferenceSerializer(allow_null=True))
    def get_current_task(self, state) -> dict | None:
        task_state = state.current_task_state
        if task_state is None:
            return None
        return {"id": task_state.task_id, "name": task_state.task.name}

    def get_requested_by(self, state) -> str | None:
        return state.requested_by.get_username() if state.requested_by_id else None

    @extend_schema_field(OpenApiTypes.INT)
    def get_revision_id(self, state) -> int | None:
        task_state = state.current_task_state
        return task_state.revision_id if task_state is not None else None
