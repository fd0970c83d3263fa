"""Backup and restore, as docs/operations.md describes them, against a real PostgreSQL."""

import hashlib
import os
import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from rootcauses.models import EvidenceFile

ROOT = Path(__file__).resolve().parents[2]


def _url(name: str) -> str:
    db = settings.DATABASES["default"]
    return f"postgresql://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


@pytest.mark.needs_postgres
@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_an_empty_database_with_its_evidence(tmp_path, root_cause, owner):
    content = b"%PDF-1.4\n% audit of midwife staffing escalation\n"
    stored = storages["private"].save("evidence/test/audit.pdf", ContentFile(content))
    EvidenceFile.objects.create(
        root_cause=root_cause,
        file=stored,
        original_name="audit.pdf",
        content_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        description="Staffing audit",
        effective_from="2024-02-01",
        uploaded_by=owner,
    )
    private_root = storages["private"].location
    backups = tmp_path / "backups"
    env = {
        **os.environ,
        "DATABASE_URL": _url(settings.DATABASES["default"]["NAME"]),
        "PRIVATE_MEDIA_ROOT": private_root,
    }
    prefix = subprocess.run(
        [str(ROOT / "scripts/backup.sh"), str(backups)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()

    restored_db = f"qip_restore_{uuid.uuid4().hex[:8]}"
    restored_files = tmp_path / "restored-files"
    with psycopg.connect(_url("postgres"), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{restored_db}"')
    try:
        subprocess.run(
            [str(ROOT / "scripts/restore.sh"), prefix],
            env={
                **env,
                "DATABASE_URL": _url(restored_db),
                "PRIVATE_MEDIA_ROOT": str(restored_files),
            },
            check=True,
            capture_output=True,
            text=True,
        )
        with psycopg.connect(_url(restored_db)) as conn:
            row = conn.execute(
                "SELECT rc.reference, rc.title, e.file, e.sha256 FROM rootcauses_rootcause rc "
                "JOIN rootcauses_evidencefile e ON e.root_cause_id = rc.id"
            ).fetchone()
        assert row[0] == "WC-MD-07 RC2"
        assert row[1] == "Midwife staffing escalation not followed"
        assert (restored_files / row[2]).read_bytes() == content
        assert hashlib.sha256((restored_files / row[2]).read_bytes()).hexdigest() == row[3]
    finally:
        with psycopg.connect(_url("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{restored_db}" WITH (FORCE)')


def test_restore_refuses_a_tampered_backup(tmp_path):
    (tmp_path / "qip-X.dump").write_bytes(b"dump")
    (tmp_path / "qip-files-X.tar.gz").write_bytes(b"files")
    (tmp_path / "qip-X.sha256").write_text(
        f"{'0' * 64}  qip-X.dump\n{'0' * 64}  qip-files-X.tar.gz\n"
    )
    result = subprocess.run(
        [str(ROOT / "scripts/restore.sh"), str(tmp_path / "qip-X")],
        env={
            **os.environ,
            "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none",
            "PRIVATE_MEDIA_ROOT": str(tmp_path / "out"),
        },
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert not (tmp_path / "out").exists()
