from django.views.generic import DetailView, ListView

from .models import Agency, Division, HelpingPair, Meeting


class MeetingListView(ListView):
    queryset = Meeting.objects.select_related("venue", "organiser")


class MeetingDetailView(DetailView):
    queryset = Meeting.objects.select_related("venue", "organiser")


class PairListView(ListView):
    queryset = HelpingPair.objects.select_related("helper", "helped")


class PairDetailView(DetailView):
    queryset = HelpingPair.objects.select_related("helper", "helped")


class AgencyListView(ListView):
    queryset = Agency.objects.select_related("division")


class AgencyDetailView(DetailView):
    queryset = Agency.objects.select_related("division")


class RegionDetailView(DetailView):
    model = Division
    slug_field = "code"
    slug_url_kwarg = "code"
