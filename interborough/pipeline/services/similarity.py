"""When a project is first published, owners of closely similar projects elsewhere are told."""

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse

from interborough.core.email import email_after_commit
from interborough.core.services import audit_record
from interborough.pipeline.models import Project, ProjectStatus, SimilarityAlert
from interborough.pipeline.selectors.search import SimilarProject, projects_similar_to
from interborough.pipeline.services.notify import owners_of

# Cosine similarity of two projects' TF-IDF vectors at or above which both owners are told.
# Measured: among the demo's archetypes (pipeline/demo_content.py), two boroughs' versions of
# the same project score 0.46 to 1.0 (median 0.80) and different projects at most 0.25, even
# when they share a theme; in the 20,000 generated projects of bench/pipeline_search.py, same
# topic 0.51 to 0.72 (p10 to p90) and other topics under 0.1. 0.35 sits in the gap.
SIMILARITY_ALERT_THRESHOLD = 0.35
# At most this many alerts (the most similar projects) per publication.
ALERTS_PER_PUBLISH = 5


def _tell_owners(*, own: Project, other: Project, match: SimilarProject) -> int:
    """Email the owners of `own` about `other`."""
    return email_after_commit(
        owners_of(own.organisation),
        subject=f"A project like yours: {other.title}"[:150],
        template="pipeline/email/similar_project.txt",
        context={
            "own": own,
            "other": other,
            "own_path": reverse("pipeline:project-detail", args=[own.pk]),
            "other_path": reverse("pipeline:project-detail", args=[other.pk]),
            "percent": round(match.score * 100),
            "shared_terms": match.shared_terms,
            "shared_themes": match.shared_themes,
        },
    )


@transaction.atomic
def similarity_alerts_send(*, project: Project) -> int:
    """Record and email alerts for other organisations' published projects like this one.

    Each pair of projects is alerted once ever, whichever of the two was published first.
    Returns how many alerts were recorded (both owners are emailed for each).
    """
    if project.status != ProjectStatus.PUBLISHED:
        return 0
    matches = projects_similar_to(
        project=project, threshold=SIMILARITY_ALERT_THRESHOLD, limit=ALERTS_PER_PUBLISH * 3
    )
    ids = [m.project.pk for m in matches]
    told = set(
        SimilarityAlert.objects.filter(
            Q(project=project, similar__in=ids) | Q(project__in=ids, similar=project)
        ).values_list("project_id", "similar_id")
    )
    sent = 0
    for match in matches:
        other = match.project
        if (project.pk, other.pk) in told or (other.pk, project.pk) in told:
            continue
        try:
            with transaction.atomic():
                alert = SimilarityAlert.objects.create(
                    project=project, similar=other, score=match.score
                )
        except IntegrityError:  # the same alert, recorded by a concurrent run
            continue
        people = _tell_owners(own=project, other=other, match=match)
        people += _tell_owners(own=other, other=project, match=match)
        audit_record(
            by=None,
            action="project.similarity_alert",
            obj=alert,
            organisation=project.organisation,
            after={
                "project": project.pk,
                "similar": other.pk,
                "similar_organisation": other.organisation.slug,
                "score": round(match.score, 4),
                "shared_terms": match.shared_terms,
                "shared_themes": [t.slug for t in match.shared_themes],
                "people_emailed": people,
            },
            system="pipeline",
        )
        sent += 1
        if sent == ALERTS_PER_PUBLISH:
            break
    return sent
