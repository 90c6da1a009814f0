"""
Editorial roles and moderation, set up in code so every environment gets the same rules.

- Editors create and edit pages under the services index, choose and upload images, and
  submit pages for moderation; they cannot publish.
- Moderators approve (publish) and can also edit, lock, unlock and delete service pages,
  and change site settings and the navigation menu.
- Wagtail's install creates groups of the same names with rights over the whole page tree;
  those page rights are narrowed to the services tree.
- A "Service pages moderation" workflow, whose one task is approval by a Moderator, is
  attached to every services index.

`configure_editorial_workflow(apps)` takes an app registry so the same code serves the data
migration (historical models) and `load_initial_data` (the live registry). Safe to re-run.
"""

EDITORS = "Editors"
MODERATORS = "Moderators"
WORKFLOW_NAME = "Service pages moderation"
TASK_NAME = "Moderator approval"

PAGE_PERMISSIONS = {
    EDITORS: ["add_page", "change_page"],
    MODERATORS: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page", "delete_page"],
}
COLLECTION_PERMISSIONS = {
    EDITORS: [("wagtailimages", "image", ["add", "choose"]), ("wagtaildocs", "document", ["add", "choose"])],
    MODERATORS: [
        ("wagtailimages", "image", ["add", "change", "choose", "delete"]),
        ("wagtaildocs", "document", ["add", "change", "choose", "delete"]),
    ],
}
MODEL_PERMISSIONS = {
    EDITORS: [("wagtailadmin", "admin", ["access"]), ("pages", "calltoaction", ["add", "change", "view"])],
    MODERATORS: [
        ("wagtailadmin", "admin", ["access"]),
        ("pages", "calltoaction", ["add", "change", "delete", "view"]),
        ("pages", "sitesettings", ["change"]),
        ("pages", "navigationmenu", ["change"]),
    ],
}


def _permission(apps, app_label: str, codename: str):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _codename(model: str, action: str) -> str:
    return "access_admin" if model == "admin" else f"{action}_{model}"


def _ensure_workflow(apps, moderators):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
        task = GroupApprovalTask.objects.create(name=TASK_NAME, active=True, content_type=task_type)
    task.groups.add(moderators)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    return workflow


def attach_to_services_indexes(apps, groups: dict, workflow) -> None:
    """Give the groups their page permissions on, and attach the workflow to, every services index."""
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    ServiceIndexPage = apps.get_model("pages", "ServiceIndexPage")
    indexes = list(ServiceIndexPage.objects.all())
    # Wagtail's install grants these groups rights over the whole tree; ours work on the services tree only.
    GroupPagePermission.objects.filter(group__in=groups.values()).exclude(page_id__in=[i.pk for i in indexes]).delete()
    for index in indexes:
        for group_name, codenames in PAGE_PERMISSIONS.items():
            for codename in codenames:
                permission = _permission(apps, "wagtailcore", codename)
                GroupPagePermission.objects.get_or_create(
                    group=groups[group_name], page_id=index.pk, permission=permission
                )
        WorkflowPage.objects.get_or_create(page_id=index.pk, defaults={"workflow": workflow})


def configure_editorial_workflow(apps) -> None:
    Group = apps.get_model("auth", "Group")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    groups = {name: Group.objects.get_or_create(name=name)[0] for name in (EDITORS, MODERATORS)}
    root_collection = Collection.objects.filter(depth=1).first()
    for group_name, group in groups.items():
        for app_label, model, actions in MODEL_PERMISSIONS[group_name]:
            group.permissions.add(*(_permission(apps, app_label, _codename(model, action)) for action in actions))
        if root_collection is not None:
            for app_label, model, actions in COLLECTION_PERMISSIONS[group_name]:
                for action in actions:
                    permission = _permission(apps, app_label, _codename(model, action))
                    GroupCollectionPermission.objects.get_or_create(
                        group=group, collection=root_collection, permission=permission
                    )
    workflow = _ensure_workflow(apps, groups[MODERATORS])
    attach_to_services_indexes(apps, groups, workflow)
