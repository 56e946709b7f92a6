from django.http import HttpResponse


def timeline(request, pk):  # placeholder until the section is built
    return HttpResponse("workspace")
