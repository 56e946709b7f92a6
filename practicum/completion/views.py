from django.http import HttpResponse


def detail(request, pk):  # placeholder until the section is built
    return HttpResponse("completion")
