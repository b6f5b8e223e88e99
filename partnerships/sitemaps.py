"""The partnerships' sections of sitemap.xml."""

from django.contrib.sitemaps import Sitemap

from qxs import surrogate

from .models import Agency, HelpingPair, Meeting


class MeetingSitemap(Sitemap):
    # The surrogate keys of the section: its set of rows (see portal.views.sitemap_section).
    surrogate_keys = (surrogate.MEETINGS,)
    changefreq = "yearly"
    priority = 0.6

    def items(self):
        return Meeting.objects.only("slug").order_by("-start_date", "pk")


class PairSitemap(Sitemap):
    # The surrogate keys of the section: its set of rows (see portal.views.sitemap_section).
    surrogate_keys = (surrogate.PAIRS,)
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return HelpingPair.objects.only("pk").order_by("order", "pk")


class AgencySitemap(Sitemap):
    # The surrogate keys of the section: its set of rows (see portal.views.sitemap_section).
    surrogate_keys = (surrogate.AGENCIES,)
    changefreq = "monthly"
    priority = 0.4
    limit = 5000

    def items(self):
        return Agency.objects.only("pk").order_by("pk")


sitemaps = {"meetings": MeetingSitemap, "pairs": PairSitemap, "agencies": AgencySitemap}
