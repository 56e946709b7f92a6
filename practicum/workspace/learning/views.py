from django.http import HttpResponse


def plan(request, pk):  # placeholder until the section is built
    return HttpResponse("learning")
