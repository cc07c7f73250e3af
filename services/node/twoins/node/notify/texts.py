"""What each kind of mail says, in English: the message ids the catalogues translate.

Every text is a template with named values (`%(title)s`); the values are names and dates,
never an SME's identity: a need or an offer is named by its anonymised title."""

from __future__ import annotations

from dataclasses import dataclass

from twoins.node.domain.notification import NotificationKind


def N_(message: str) -> str:  # noqa: N802 - the gettext convention, marks a text to translate
    return message


@dataclass(frozen=True)
class MailText:
    subject: str
    lines: tuple[str, ...]
    action: str


REFERRAL_PAGE = "/console/referrals/{id}"
NEED_PAGE = "/console/needs/{id}"
NETWORK_PAGE = "/console/network"
SETTINGS_PAGE = "/console/notifications"
UNSUBSCRIBE_PAGE = "/unsubscribe/{token}"

TEXTS: dict[NotificationKind, MailText] = {
    NotificationKind.REFERRAL_RECEIVED: MailText(
        N_("New referral from %(other_region)s: %(title)s"),
        (
            N_("%(other_region)s sent your cluster a referral: “%(title)s”."),
            N_("Please accept or decline it by %(due)s."),
        ),
        N_("Answer the referral"),
    ),
    NotificationKind.REFERRAL_REMINDER: MailText(
        N_("Reminder: the referral “%(title)s” needs an answer by %(due)s"),
        (
            N_("The referral from %(other_region)s is still waiting for your answer."),
            N_("It is due by %(due)s; after that it is escalated to your cluster manager."),
        ),
        N_("Answer the referral"),
    ),
    NotificationKind.REFERRAL_ESCALATED: MailText(
        N_("Late answer: the referral “%(title)s” from %(other_region)s"),
        (
            N_("The answer to this referral was due by %(due)s and nobody has answered yet."),
            N_("As cluster manager, please answer it or hand it to a colleague."),
        ),
        N_("Open the referral"),
    ),
    NotificationKind.REFERRAL_ACCEPTED: MailText(
        N_("%(other_region)s accepted the referral “%(title)s”"),
        (
            N_("%(other_region)s accepted the referral."),
            N_("The referral's page shows what comes next."),
        ),
        N_("Open the referral"),
    ),
    NotificationKind.REFERRAL_DECLINED: MailText(
        N_("%(other_region)s declined the referral “%(title)s”"),
        (
            N_("%(other_region)s declined the referral."),
            N_("You may look for another partner in the network catalogue."),
        ),
        N_("Open the referral"),
    ),
    NotificationKind.REFERRAL_CONSENT_RECORDED: MailText(
        N_("The SME consented: referral “%(title)s”"),
        (
            N_("%(other_region)s recorded the SME's consent."),
            N_("Its contacts are disclosed to your cluster next."),
        ),
        N_("Open the referral"),
    ),
    NotificationKind.REFERRAL_CONTACTS_DISCLOSED: MailText(
        N_("Contacts disclosed: referral “%(title)s”"),
        (
            N_("%(other_region)s disclosed the SME's contacts to your cluster."),
            N_("You find them on the referral's page; they are never sent by mail."),
        ),
        N_("Open the referral"),
    ),
    NotificationKind.REFERRAL_OUTCOME_RECORDED: MailText(
        N_("Outcome recorded: referral “%(title)s”"),
        (N_("%(other_region)s recorded the outcome of the support: %(outcome)s."),),
        N_("Open the referral"),
    ),
    NotificationKind.REFERRAL_CHANGED: MailText(
        N_("Referral “%(title)s”: %(state)s"),
        (N_("%(other_region)s changed the referral: it is now %(state)s."),),
        N_("Open the referral"),
    ),
    NotificationKind.NEED_RETURNED: MailText(
        N_("Your need “%(title)s” was returned from review"),
        (
            N_("The cluster manager returned the need to you: %(reason)s"),
            N_("Change it and submit it again when it is ready."),
        ),
        N_("Open the need"),
    ),
    NotificationKind.SAVED_SEARCH_MATCH: MailText(
        N_("New match for your saved search “%(search)s”: %(title)s"),
        (N_("A new entry of the network catalogue matches your saved search “%(search)s”:"),),
        N_("See it in the network catalogue"),
    ),
}

#: The daily digest of a saved search: its subject has a plural.
DIGEST_SUBJECT = (
    N_("%(count)s new match for your saved search “%(search)s”"),
    N_("%(count)s new matches for your saved search “%(search)s”"),
)
DIGEST_LINE = N_("New entries of the network catalogue match your saved search “%(search)s”:")

#: A catalogue entry in a saved search's mail.
ENTRY_LINE = N_("%(title)s (%(region)s)")

OUTCOMES = {
    "AGREEMENT_SIGNED": N_("an agreement was signed"),
    "PARTNERSHIP_FORMED": N_("a partnership was formed"),
    "FUNDING_OBTAINED": N_("funding was obtained"),
    "NO_RESULT": N_("no result"),
    "UNSPECIFIED": N_("not stated"),
}

STATES = {
    "WITHDRAWN": N_("withdrawn"),
    "EXPIRED": N_("expired"),
    "ENGAGED": N_("engaged: the support has started"),
    "COMPLETED": N_("completed"),
}

GREETING = N_("Hello %(name)s,")
FOOTER = N_("You receive this mail as a member of the 2InS Clusters network at %(region)s.")
SETTINGS_LINE = N_("Choose which mails you receive: %(link)s")
UNSUBSCRIBE_KIND = N_("Stop mails of this kind: %(link)s")
UNSUBSCRIBE_SEARCH = N_("Stop this saved search: %(link)s")
UNNAMED_NEED = N_("a need")
UNNAMED_OFFER = N_("an expert offer")
