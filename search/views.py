from django.shortcuts import render


def search(request):
    """Site search (issue 6 builds the real thing)."""
    return render(request, "search/search.html", {"query": request.GET.get("q", "")})
