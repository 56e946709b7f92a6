from django.http import HttpResponse


def list(request, pk):  # placeholder until the section is built
    return HttpResponse("deliverables")
