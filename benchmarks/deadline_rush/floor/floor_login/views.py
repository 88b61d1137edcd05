from django import forms
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone

from floor_login.models import AuditLine, Draft


class DraftForm(forms.ModelForm):
    class Meta:
        model = Draft
        fields = ["name", "address"]


@login_required
def save(request):
    """The least a page save must do: the session and its account, the owner's row, then
    UPDATE it and write one audit line in one transaction, and redirect (POST/redirect/GET)."""
    draft = Draft.objects.get(owner=request.user)
    form = DraftForm(request.POST or None, instance=draft)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            draft.updated_at = timezone.now()
            form.save()
            AuditLine.objects.create(
                at=draft.updated_at,
                actor=request.user,
                action="draft.saved",
                target_id=str(draft.pk),
            )
        return redirect("/save/")
    return render(request, "floor_site/form.html", {"form": form})
