"""The emails the registry sends (see notifications.registry)."""

from django.utils.translation import gettext_lazy as _

from notifications.registry import EmailKind, register

ASSOCIATION_VERIFIED = register(
    EmailKind(
        key="organizations.association_verified",
        template="organizations/emails/association_verified",
        description=_("Laget er godkjent av kommunen (til lagets administratorer)"),
    )
)
ASSOCIATION_REJECTED = register(
    EmailKind(
        key="organizations.association_rejected",
        template="organizations/emails/association_rejected",
        description=_("Laget er avvist av kommunen, med begrunnelse (til lagets administratorer)"),
    )
)
MEMBERSHIP_INVITATION = register(
    EmailKind(
        key="organizations.membership_invitation",
        template="organizations/emails/membership_invitation",
        description=_("Invitasjon til å bli med i et lag (til den inviterte)"),
    )
)
MEMBERSHIP_REQUEST = register(
    EmailKind(
        key="organizations.membership_request",
        template="organizations/emails/membership_request",
        description=_("Noen vil bli med i laget (til lagets administratorer)"),
    )
)
CONTACT_PERSON_REMOVED = register(
    EmailKind(
        key="organizations.contact_person_removed",
        template="organizations/emails/contact_person_removed",
        description=_("Lagets kontaktperson har slettet kontoen sin (til lagets øvrige administratorer)"),
    )
)


ASSOCIATION_CLAIM_REJECTED = register(
    EmailKind(
        key="organizations.association_claim_rejected",
        template="organizations/emails/association_claim_rejected",
        description=_("Kommunen har ikke godkjent at du tok over laget, med begrunnelse (til den som tok det over)"),
    )
)
