"""Reads that several pages share: the directory, the verification queue, the export."""

from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Prefetch, Q

from .domain import normalize_name
from .models import (
    Association,
    Category,
    Invitation,
    Language,
    Membership,
    MembershipRequest,
    Municipality,
    MunicipalStaff,
    Need,
    TargetGroup,
)

DIRECTORY_PAGE_SIZE = 20
# Query-string name -> (many-to-many field, term model) for the directory's filters.
TERM_FILTERS = {
    "kategori": ("categories", Category),
    "sprak": ("activity_languages", Language),
    "malgruppe": ("target_groups", TargetGroup),
    "behov": ("needs", Need),
}
_COUNTS_VERSION_KEY = "organizations:directory-version"


def municipalities_for_staff(*, user):
    """The municipalities whose staff pages the user may open."""
    if not user.is_authenticated:
        return Municipality.objects.none()
    if user.is_superuser:
        return Municipality.objects.filter(active=True)
    return Municipality.objects.filter(staff__user=user)


def uses_postgresql() -> bool:
    return connection.vendor == "postgresql"


def search_vector():
    """The full-text document of an association; migration 0004 indexes this exact expression."""
    from django.contrib.postgres.search import SearchVector

    return SearchVector("name", weight="A", config="norwegian") + SearchVector(
        "description", weight="B", config="norwegian"
    )


def visible_associations(*, user):
    """Associations the user may find: verified ones, and the pending ones they belong to or handle."""
    visible = Q(status=Association.Status.VERIFIED)
    if user.is_authenticated:
        if user.is_superuser:
            visible |= Q(status=Association.Status.PENDING)
        else:
            visible |= Q(status=Association.Status.PENDING) & (
                Q(pk__in=Membership.objects.filter(user=user).values("association"))
                | Q(municipality__in=MunicipalStaff.objects.filter(user=user).values("municipality"))
            )
    return Association.objects.filter(visible)


@dataclass
class DirectoryFilters:
    q: str = ""
    kommune: str = ""
    kategori: str = ""
    sprak: str = ""
    malgruppe: str = ""
    behov: str = ""

    @classmethod
    def from_query(cls, params) -> "DirectoryFilters":
        return cls(**{name: (params.get(name) or "").strip()[:100] for name in cls.__dataclass_fields__})

    @property
    def active(self) -> bool:
        return any(getattr(self, name) for name in self.__dataclass_fields__)


def directory_search(queryset, text: str):
    """Free-text search: full-text (norwegian) and trigram similarity on PostgreSQL, contains on SQLite."""
    if not text:
        return queryset.order_by("name", "pk")
    if not uses_postgresql():
        return queryset.filter(Q(name__icontains=text) | Q(description__icontains=text)).order_by("name", "pk")
    from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity

    vector = search_vector()
    query = SearchQuery(text, config="norwegian", search_type="websearch")
    return (
        queryset.annotate(document=vector)
        .filter(Q(document=query) | Q(name__trigram_word_similar=text))
        .annotate(rank=SearchRank(vector, query) + TrigramWordSimilarity(text, "name"))
        .order_by("-rank", "name", "pk")
    )


def directory_associations(*, user, filters: DirectoryFilters):
    """The directory's rows for one set of filters, with what each row shows fetched up front."""
    queryset = visible_associations(user=user)
    if filters.kommune:
        queryset = queryset.filter(municipality__number=filters.kommune)
    for name, (field, _model) in TERM_FILTERS.items():
        slug = getattr(filters, name)
        if slug:
            queryset = queryset.filter(**{f"{field}__slug": slug})
    queryset = directory_search(queryset, filters.q)
    return queryset.select_related("municipality").prefetch_related(
        Prefetch("categories", queryset=Category.objects.only("id", "slug", "name", "name_en", "position"))
    )


def directory_version() -> int:
    return cache.get_or_set(_COUNTS_VERSION_KEY, 1, timeout=None)


def directory_changed() -> None:
    """Called when an association, its categories or a category change: cached counts start over."""
    try:
        cache.incr(_COUNTS_VERSION_KEY)
    except ValueError:
        cache.set(_COUNTS_VERSION_KEY, 2, timeout=None)


def category_counts(*, municipality_number: str = "") -> list[tuple[Category, int]]:
    """Verified associations per category (in one municipality, or everywhere), cached until a change."""
    key = f"organizations:category-counts:{directory_version()}:{municipality_number or 'alle'}"
    counts = cache.get(key)
    if counts is None:
        rows = Association.objects.filter(status=Association.Status.VERIFIED)
        if municipality_number:
            rows = rows.filter(municipality__number=municipality_number)
        counts = dict(rows.values_list("categories").annotate(count=Count("pk")).values_list("categories", "count"))
        cache.set(key, counts, timeout=60 * 60)
    return [(category, counts.get(category.pk, 0)) for category in Category.objects.all()]


def directory_filter_choices() -> dict:
    """The lists the directory's filter form offers."""
    return {
        "municipalities": list(
            Municipality.objects.filter(active=True, associations__status=Association.Status.VERIFIED)
            .distinct()
            .only("id", "number", "name")
        ),
        **{name: list(model.objects.all()) for name, (_field, model) in TERM_FILTERS.items()},
    }


def association_for_profile(*, slug: str):
    """One association with everything its profile page shows."""
    return (
        Association.objects.select_related("municipality", "district")
        .prefetch_related("categories", "activity_languages", "target_groups", "needs", "councils")
        .filter(slug=slug)
        .first()
    )


def association_members(*, association):
    return association.memberships.select_related("user").order_by("-role", "user__full_name", "user__email")


def open_invitations(*, association):
    from django.utils import timezone

    return association.invitations.filter(accepted_at__isnull=True, expires_at__gt=timezone.now()).select_related(
        "invited_by"
    )


def open_membership_requests(*, association):
    return association.membership_requests.filter(decided_at__isnull=True).select_related("user")


def open_request_of(*, association, user):
    if not user.is_authenticated:
        return None
    return MembershipRequest.objects.filter(association=association, user=user, decided_at__isnull=True).first()


def invitation_by_token(*, token: str):
    return Invitation.objects.select_related("association", "invited_by").filter(token=token).first()


def similar_associations(*, name: str, municipality, exclude_pk=None, limit: int = 5) -> list[Association]:
    """Associations in the same municipality whose names look like `name` (possible duplicates)."""
    if not name or municipality is None:
        return []
    candidates = Association.objects.filter(municipality=municipality).exclude(status=Association.Status.HIDDEN)
    if exclude_pk:
        candidates = candidates.exclude(pk=exclude_pk)
    wanted = normalize_name(name)
    if uses_postgresql():
        from django.contrib.postgres.search import TrigramSimilarity

        return list(
            candidates.annotate(similarity=TrigramSimilarity("name", name))
            .filter(similarity__gte=0.45)
            .order_by("-similarity", "name")[:limit]
        )
    # SQLite has no trigrams: compare names without case, punctuation, word order or the words
    # every association uses ("Sjakklubben Bergen" vs "Bergen sjakklubb").
    matches = []
    for association in candidates.only("id", "name", "slug", "status").iterator():
        normalised = normalize_name(association.name)
        if normalised == wanted or sorted(normalised.split()) == sorted(wanted.split()):
            matches.append(association)
            if len(matches) == limit:
                break
    return matches


def pending_associations(*, municipality):
    """The verification queue: oldest first, so nobody waits longest."""
    return (
        Association.objects.filter(municipality=municipality, status=Association.Status.PENDING)
        .select_related("district")
        .prefetch_related("categories")
        .annotate(admin_count=Count("memberships", filter=Q(memberships__role=Membership.Role.ADMIN)))
        .order_by("created_at", "pk")
    )


def associations_for_export(*, municipality):
    return (
        Association.objects.filter(municipality=municipality)
        .select_related("district")
        .prefetch_related("categories", "activity_languages", "target_groups", "needs", "councils")
        .order_by("name", "pk")
    )
