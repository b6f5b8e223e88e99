"""Which cached pages a change to divisions, agencies, meetings, pairs, agreements and
activities touches.

Connected from ``PartnershipsConfig.ready()``; see :mod:`qxs.purge` and the key names in
:mod:`qxs.surrogate`. Pages that show an object carry its key (an article page carries the keys
of its agencies, pairs and meeting), so most changes purge the object's own key plus the
collection pages (and open data files) that list it.
"""

from django.db.models import Q

from qxs import surrogate
from qxs.purge import purge_on_change, purge_on_m2m_change

from .models import (
    Agency,
    AgreementClause,
    CooperationActivity,
    CooperationAgreement,
    Division,
    HelpingPair,
    Honour,
    Meeting,
    MeetingParticipant,
)


def division_keys(division):
    """A division's name and coordinates show on its region page, on its agencies' and
    meetings' pages, in the agency list and open data, and in the pairing diagram."""
    agencies = Agency.objects.filter(division=division).values_list("pk", flat=True)
    meetings = (
        Meeting.objects.filter(Q(venue=division) | Q(regions=division))
        .values_list("pk", flat=True)
        .distinct()
    )
    return [
        surrogate.division(division.pk),
        surrogate.AGENCIES,
        surrogate.PAIRS,
        *map(surrogate.agency, agencies),
        *map(surrogate.meeting, meetings),
    ]


def agency_keys(agency):
    """An agency shows on its page, its parent's, the agency list and open data, its pairs'
    pages, the pair list and diagram when it is in a pair, and its meetings' pages."""
    pairs = HelpingPair.objects.filter(Q(helper=agency) | Q(helped=agency)).values_list(
        "pk", flat=True
    )
    meetings = {
        *MeetingParticipant.objects.filter(agency=agency).values_list("meeting_id", flat=True),
        *Meeting.objects.filter(organiser=agency).values_list("pk", flat=True),
    }
    pairs = list(pairs)
    return [
        surrogate.agency(agency.pk),
        surrogate.AGENCIES,
        agency.parent_id and surrogate.agency(agency.parent_id),
        agency.division_id and surrogate.division(agency.division_id),
        pairs and surrogate.PAIRS,
        *map(surrogate.pair, pairs),
        *map(surrogate.meeting, meetings),
    ]


def meeting_keys(meeting):
    """A meeting shows on its page, the meeting list, the home page and its venue's page
    (the pages of its articles and pairs carry its key)."""
    return [
        surrogate.meeting(meeting.pk),
        surrogate.MEETINGS,
        surrogate.HOME,
        meeting.venue_id and surrogate.division(meeting.venue_id),
        meeting.organiser_id and surrogate.agency(meeting.organiser_id),
    ]


def participant_keys(participant):
    return [surrogate.meeting(participant.meeting_id), surrogate.agency(participant.agency_id)]


def pair_keys(pair):
    """A pair shows on its page, the pair list, diagram and open data, the home page, its two
    agencies' pages and its meeting's page."""
    return [
        surrogate.pair(pair.pk),
        surrogate.PAIRS,
        surrogate.HOME,
        surrogate.agency(pair.helper_id),
        surrogate.agency(pair.helped_id),
        pair.meeting_id and surrogate.meeting(pair.meeting_id),
    ]


def honour_keys(honour):
    return list(map(surrogate.agency, honour.agencies.values_list("pk", flat=True)))


def connect():
    purge_on_change(Division, division_keys)
    purge_on_change(Agency, agency_keys)
    purge_on_change(Honour, honour_keys)
    purge_on_change(Meeting, meeting_keys)
    purge_on_change(MeetingParticipant, participant_keys)
    purge_on_change(HelpingPair, pair_keys)
    # Agreements, their clauses and activities show on their pair's page; an activity also on
    # the page of the article that reports it.
    purge_on_change(CooperationAgreement, lambda agreement: [surrogate.pair(agreement.pair_id)])
    purge_on_change(
        AgreementClause,
        lambda clause: [
            surrogate.pair(pair)
            for pair in CooperationAgreement.objects.filter(pk=clause.agreement_id).values_list(
                "pair_id", flat=True
            )
        ],
    )
    purge_on_change(
        CooperationActivity,
        lambda activity: [
            surrogate.pair(activity.pair_id),
            activity.article_id and surrogate.article(activity.article_id),
        ],
    )
    purge_on_m2m_change(
        Meeting._meta.get_field("regions"),
        lambda meetings, divisions: [
            *map(surrogate.meeting, meetings),
            *map(surrogate.division, divisions),
        ],
    )
    purge_on_m2m_change(
        Agency._meta.get_field("honours"),
        lambda agencies, honours: list(map(surrogate.agency, agencies)),
    )
