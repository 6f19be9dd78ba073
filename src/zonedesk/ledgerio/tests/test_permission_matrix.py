"""Who may see and apply an import batch, upload and export, on the pages
(see ``zonedesk.testing.permissions``)."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from zonedesk.enterprises.models import Enterprise
from zonedesk.ledgerio.importer import file_sha256
from zonedesk.ledgerio.models import ImportBatch
from zonedesk.projects.models import Project, StageLog
from zonedesk.testing.permissions import Endpoint, Matrix, page_ids

from .zone_ledgers import messy_zone_workbook

WATCH = (ImportBatch, Project, StageLog, Enterprise)


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


def batches(world):
    """A pending upload by a zone A officer for zone A, and one by a zone B officer for zone B."""
    made = {}
    data = messy_zone_workbook()
    for key, who, zone in (
        ("target", world.officer_a, world.zone_a),
        ("other", world.officer_b, world.zone_b),
    ):
        batch = ImportBatch(user=who, zone=zone, file_name="台账.xlsx", file_sha256=file_sha256(data))
        batch.file.save(f"{key}.xlsx", ContentFile(data), save=False)
        batch.save()
        made[key] = batch
    return made


# A batch is its uploader's alone (a superuser aside): the province administrator does not reach it.
REACH = {"grant": (), "scoped": ("target",), "own_unit": (), "sibling_zone": ("other",)}
BATCH = "/ledger-io/batches/{target.pk}/"
pages = Matrix(
    surface="page",
    setup=batches,
    reach=REACH,
    watch=WATCH,
    endpoints=[
        Endpoint("batches", "list", "list", "/ledger-io/", ids=page_ids(r'href="/ledger-io/batches/(\d+)/"')),
        Endpoint("batches", "detail", "read", BATCH),
        Endpoint("batches", "annotated", "read", BATCH + "annotated/"),
        Endpoint("batches", "apply", "write", BATCH + "apply/", "post", {}, ok=302),
        Endpoint("batches", "undo", "write", BATCH + "undo/", "post", {}, ok=302, refused=("scoped",)),
        # Uploading into zone A: refused with a message (back to the page) unless one may import there.
        Endpoint(
            "batches",
            "upload",
            "create",
            "/ledger-io/upload/",
            "post",
            lambda ctx: {
                "zone": ctx["world"].zone_a.pk,
                "file": SimpleUploadedFile("台账.xlsx", messy_zone_workbook()),
            },
            ok=302,
            expect=dict.fromkeys(("nogrant", "grant", "own_unit", "sibling_zone"), 302),
            refused=("nogrant", "sibling_zone"),
        ),
    ],
)

test_page_matrix = pages.test()
