"""Reads that several pages share: the directory, the verification queue, the export."""

from contextlib import suppress
from dataclasses import dataclass

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramSimilarity, TrigramWordSimilarity
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy

from accounts.invitations import InvitationKind
from dialog_portal import versions
from dialog_portal.permissions import can

from .domain import county_organiser_name, normalize_name
from .models import (
    Association,
    AssociationClaim,
    Category,
    DirectoryCount,
    Invitation,
    Language,
    Membership,
    MembershipRequest,
    Municipality,
    MunicipalStaff,
    Need,
    TargetGroup,
)
from .rules import is_staff_for

DIRECTORY_PAGE_SIZE = 20
BIGINT_MAX = 2**63 - 1
# Query-string name -> (many-to-many field, term model) for the directory's filters.
TERM_FILTERS = {
    "kategori": ("categories", Category),
    "sprak": ("activity_languages", Language),
    "malgruppe": ("target_groups", TargetGroup),
    "behov": ("needs", Need),
}


def municipalities_for_staff(*, user):
    """The municipalities whose staff pages the user may open."""
    if not user.is_authenticated:
        return Municipality.objects.none()
    if can(user, "organizations.oversee_all_municipalities"):
        return Municipality.objects.filter(active=True)
    return Municipality.objects.filter(staff__user=user)


def counties_for_staff(*, user) -> list[dict]:
    """The county municipalities the user works for: number and name as organiser."""
    if not user.is_authenticated:
        return []
    numbers = user.county_roles.order_by("county_number").values_list("county_number", flat=True)
    return [{"number": number, "organiser": county_organiser_name(number)} for number in numbers]


def uses_postgresql() -> bool:
    return connection.vendor == "postgresql"


def visible_associations(*, user):
    """Associations the user may find: verified ones, and the pending ones they belong to or handle."""
    visible = Q(status=Association.Status.VERIFIED)
    if user.is_authenticated:
        if can(user, "organizations.oversee_all_municipalities"):
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


def _name_contains(text: str) -> Q:
    """Names containing the text, in any case, served by the trigram index on the lower-case name.

    On a UTF-8 database ILIKE lowers both the name and the text and compares them with LIKE. The
    name is stored lowered (name_folded), so only the text is lowered, once per query, not every
    name the index lets through. Django's contains escapes % and _, so they match literally.
    """
    return Q(name_folded__contains=Lower(Value(text)))


def _search_query(text: str):
    return SearchQuery(text, config="norwegian", search_type="websearch")


def _search_filter(queryset, text: str):
    """Rows whose name contains the text, whose document matches it, or whose name has a similar word.

    The cheap tests come first: PostgreSQL stops at the first that holds, so the costly word
    similarity is worked out only for names that neither contain the text nor match in full text.
    """
    if not text:
        return queryset
    if not uses_postgresql():
        return queryset.filter(Q(name__icontains=text) | Q(description__icontains=text))
    return queryset.filter(
        _name_contains(text) | Q(search_document=_search_query(text)) | Q(name__trigram_word_similar=text)
    )


def _search_rank(text: str):
    """Full-text hits first (by their rank), then names containing the text, then similar names.

    Each row gets one branch, so the full-text rank and the word similarity are computed only for
    the rows they order, not for every match.
    """

    query = _search_query(text)
    return Case(
        When(Q(search_document=query), then=Value(2.0) + SearchRank(F("search_document"), query)),
        When(_name_contains(text), then=Value(1.0)),
        default=TrigramWordSimilarity(text, "name"),
        output_field=FloatField(),
    )


def _term_filters(queryset, filters: DirectoryFilters):
    if filters.kommune:
        # A subquery rather than a join: the planner then knows the municipality and walks the
        # (municipality, status, name) index in order.
        queryset = queryset.filter(
            municipality_id=Subquery(Municipality.objects.filter(number=filters.kommune).values("pk")[:1])
        )
    for name, (field, _model) in TERM_FILTERS.items():
        slug = getattr(filters, name)
        if slug:
            queryset = queryset.filter(**{f"{field}__slug": slug})
    return queryset


def directory_associations(*, user, filters: DirectoryFilters):
    """The directory's rows for one set of filters, in the order it lists them.

    On PostgreSQL a search matches a name containing the text, the stored full-text document
    (norwegian) or a name with a similar word (trigrams), all through GIN indexes, and lists
    full-text hits before names containing the text before similar names; elsewhere it is a
    contains-search ordered by name.
    """
    queryset = _search_filter(_term_filters(visible_associations(user=user), filters), filters.q)
    if filters.q and uses_postgresql():
        return queryset.annotate(rank=_search_rank(filters.q)).order_by("-rank", "name", "pk")
    return queryset.order_by("name", "pk")


def _for_display(queryset):
    """What each directory row shows (and no more), fetched up front.

    The categories come as a plain list (listed_categories): the page reads them for every row,
    and building a related manager for each row was a good part of the page's rendering time.
    On PostgreSQL the row's query brings their ids (ArraySubquery) and directory_page takes the
    categories themselves from the filter lists it already has; elsewhere they are prefetched.
    """
    queryset = queryset.only("id", "name", "slug", "status", "description", "municipality__name").select_related(
        "municipality"
    )
    if uses_postgresql():
        ids = Category.objects.filter(associations=OuterRef("pk")).order_by("position", "name").values("id")
        return queryset.annotate(listed_category_ids=ArraySubquery(ids))
    categories = Category.objects.only("id", "slug", "name", "name_nn", "name_en", "position")
    return queryset.prefetch_related(Prefetch("categories", queryset=categories, to_attr="listed_categories"))


def directory_counts(*, municipality_number: str = "") -> dict[str | None, int]:
    """Verified associations, in one municipality or everywhere: per category slug, and in all (None).

    On PostgreSQL they are read from the counts the database keeps (DirectoryCount), at the same
    cost however large the registry grows; on SQLite they are counted on the spot.
    """
    if uses_postgresql():
        rows = DirectoryCount.objects.all()
        if municipality_number:
            rows = rows.filter(municipality__number=municipality_number)
        per_category = rows.values_list("category__slug").annotate(total=Sum("verified"))
        return dict(per_category.values_list("category__slug", "total"))
    verified = Association.objects.filter(status=Association.Status.VERIFIED)
    if municipality_number:
        verified = verified.filter(municipality__number=municipality_number)
    per_category = verified.filter(categories__isnull=False).values_list("categories__slug").annotate(n=Count("pk"))
    return {**dict(per_category.values_list("categories__slug", "n")), None: verified.count()}


def category_counts(*, categories, counts: dict[str | None, int]) -> list[tuple[Category, int]]:
    """The categories, each with its count from directory_counts."""
    return [(category, counts.get(category.slug, 0)) for category in categories]


def directory_page(
    *, user, filters: DirectoryFilters, counts: dict[str | None, int], number, categories: list[Category]
) -> Page:
    """One page of the directory; its paginator's count is how many associations the filters find.

    `counts` are the directory_counts of the municipality filtered on (or of all): with no more
    than a municipality and a category to filter on, the count is read from them. `categories`
    are all the categories (the filter list), which the rows show.
    """
    rows = directory_associations(user=user, filters=filters)
    if filters.q and uses_postgresql():
        # Ordered by rank, which no index gives, a search's page is a pass over all its matches
        # anyway: they are counted in the same pass rather than in a second one.
        page = PageCountingPaginator(rows, DIRECTORY_PAGE_SIZE, shown=_for_display).get_page(number)
    else:
        count = _directory_total(user=user, filters=filters, counts=counts)
        page = CountedPaginator(_for_display(rows), DIRECTORY_PAGE_SIZE, count=count).get_page(number)
    page.object_list = list(page.object_list)
    if uses_postgresql():
        by_id = {category.pk: category for category in categories}
        for association in page.object_list:
            association.listed_categories = [by_id[pk] for pk in association.listed_category_ids if pk in by_id]
    return page


def _directory_total(*, user, filters: DirectoryFilters, counts: dict[str | None, int]) -> int:
    if any(getattr(filters, name) for name in ("q", "sprak", "malgruppe", "behov")):
        verified = Association.objects.filter(status=Association.Status.VERIFIED)
        total = _search_filter(_term_filters(verified, filters), filters.q).count()
    else:
        total = counts.get(filters.kategori or None, 0)
    if user.is_authenticated:
        # The pending associations a signed-in user may also see are few, and counted on the spot.
        extra = visible_associations(user=user).filter(status=Association.Status.PENDING)
        total += _search_filter(_term_filters(extra, filters), filters.q).count()
    return total


class CountedPaginator(Paginator):
    """A paginator told its count, so that it does not count the rows itself."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._given_count = count

    @cached_property
    def count(self):
        return self._given_count


class PageCountingPaginator(Paginator):
    """A paginator that counts the rows in the query that fetches a page, with a window count.

    That query reads the page's keys and the count; a second one reads the rows for those keys
    through `shown`, which adds what the page displays. Only a page number past the end costs a
    count of its own.
    """

    def __init__(self, object_list, per_page, *, shown):
        super().__init__(object_list, per_page)
        self._shown = shown
        self._keys = {}
        self._window_count = None

    @cached_property
    def count(self):
        if self._window_count is not None:
            return self._window_count
        return self.object_list.count()

    def get_page(self, number):
        with suppress(TypeError, ValueError):
            self._fetch_keys(int(number))
        return super().get_page(number)

    def page(self, number):
        if isinstance(number, int):
            self._fetch_keys(number)
        number = self.validate_number(number)
        keys = self._keys.get(number, [])
        rows = (
            self._shown(self.object_list.model._default_manager.filter(pk__in=keys).order_by()).in_bulk()
            if keys
            else {}
        )
        # A row deleted since its key was read is left out.
        return Page([rows[pk] for pk in keys if pk in rows], number, self)

    def _fetch_keys(self, number: int) -> None:
        bottom = (number - 1) * self.per_page
        # OFFSET is a bigint: a page that starts beyond one lies past the end of any list, and the
        # paginator's own count sends it to the last page.
        if number < 1 or bottom > BIGINT_MAX or number in self._keys:
            return
        counted = self.object_list.annotate(total=Window(Count("pk"))).values_list("pk", "total")
        keys = list(counted[bottom : bottom + self.per_page])
        # An empty page past the first tells nothing about the count: `count` counts on its own,
        # and get_page falls back to the last page.
        if keys or number == 1:
            self._window_count = keys[0][1] if keys else 0
            self._keys[number] = [pk for pk, _total in keys]


def directory_filter_choices(*, version: str | None = None) -> dict:
    """The lists the directory's filter form offers, cached under the version of their sources
    (dialog_portal.versions): any save or delete of a municipality, a term or an association.
    `version` is versions.current("directory") when the caller has read it already."""
    return versions.cached("directory", _directory_filter_choices, version=version)


def _directory_filter_choices() -> dict:
    if uses_postgresql():
        listed = Q(directory_counts__category=None, directory_counts__verified__gt=0)
    else:
        listed = Exists(Association.objects.filter(municipality=OuterRef("pk"), status=Association.Status.VERIFIED))
    return {
        "municipalities": list(
            Municipality.objects.filter(listed, active=True)
            .order_by("name")
            .values("number", "name", "written_standard")
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


# The key of association invitations among the invitations that wait while someone signs up.
INVITATION_KIND = "organizations.invitation"


def _open_invitations():
    return Invitation.objects.filter(accepted_at__isnull=True, expires_at__gt=timezone.now())


INVITATIONS = InvitationKind(
    key=INVITATION_KIND,
    open_invitations=_open_invitations,
    to="association",
    text_with_inviter=gettext_lazy("%(inviter)s har invitert deg til å bli med i «%(name)s»."),
    text=gettext_lazy("Du er invitert til å bli med i «%(name)s»."),
    accept_url_name="organizations:invitation_accept",
)


def similar_associations(*, name: str, municipality, user, exclude_pk=None, limit: int = 5) -> list[Association]:
    """Associations in the same municipality whose names look like `name` (possible duplicates).

    Only those `user` may see: verified ones and their own; staff of the municipality see all of
    its associations. Someone else's pending or rejected registration stays private.
    """
    if not name or municipality is None:
        return []
    candidates = Association.objects.filter(municipality=municipality).exclude(status=Association.Status.HIDDEN)
    if not is_staff_for(user, municipality.pk):
        own = Membership.objects.filter(user=user).values("association_id") if user.is_authenticated else []
        candidates = candidates.filter(Q(status=Association.Status.VERIFIED) | Q(pk__in=own))
    if exclude_pk:
        candidates = candidates.exclude(pk=exclude_pk)
    wanted = normalize_name(name)
    if uses_postgresql():
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


def open_claims():
    return AssociationClaim.objects.filter(decided_at__isnull=True)


def associations_acting_for(*, user):
    """The associations `user` may act for: co-sign letters, register for meetings, apply for stands.

    Verified associations they are a member of, unless someone has taken the association over and
    the municipality has not yet approved it: until then nobody acts in its name, since every
    membership it has came through the one who claimed it.
    """
    if not user.is_authenticated:
        return Association.objects.none()
    return Association.objects.filter(
        ~Exists(open_claims().filter(association=OuterRef("pk"))),
        status=Association.Status.VERIFIED,
        pk__in=Membership.objects.filter(user=user).values("association_id"),
    )


def associations_awaiting_approval(*, user):
    """The associations `user` is a member of but may not act for until the municipality approves:
    registered and not yet verified, or taken over with the take-over not yet approved."""
    if not user.is_authenticated:
        return Association.objects.none()
    return (
        Association.objects.filter(
            status__in=[Association.Status.PENDING, Association.Status.VERIFIED],
            pk__in=Membership.objects.filter(user=user).values("association_id"),
        )
        .exclude(pk__in=associations_acting_for(user=user).values("pk"))
        .order_by("name")
    )


def open_claim_of(*, association):
    """The take-over the municipality has yet to decide, with who made it, or None."""
    return open_claims().filter(association=association).select_related("user").first()


def pending_associations(*, municipality):
    """The verification queue: oldest first, so nobody waits longest. Each row carries its open
    take-over, if any (open_claim_list: who claimed it, when and why)."""
    return (
        Association.objects.filter(municipality=municipality, status=Association.Status.PENDING)
        .select_related("district")
        .prefetch_related(
            "categories",
            Prefetch("claims", queryset=open_claims().select_related("user"), to_attr="open_claim_list"),
        )
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
