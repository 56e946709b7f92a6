from django.http import HttpResponse


def thread(request, pk):  # placeholder until the section is built
    return HttpResponse("messaging")
