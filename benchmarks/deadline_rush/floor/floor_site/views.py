from django import forms
from django.shortcuts import render

from floor_site.models import Entry


class EntryForm(forms.ModelForm):
    class Meta:
        model = Entry
        fields = ["name", "address"]


def entry(request):
    """GET: a form with its CSRF token. POST: validate, INSERT one row, answer 200."""
    form = EntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        return render(request, "floor_site/saved.html", status=200)
    return render(request, "floor_site/form.html", {"form": form})
