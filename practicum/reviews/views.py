from django.http import HttpResponse


def engagement(request, pk):  # placeholder until the section is built
    return HttpResponse("reviews")
