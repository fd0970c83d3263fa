from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render


@login_not_required
def accessibility(request):
    """The accessibility statement public sector websites must publish (WCAG 2.2 AA)."""
    return render(request, "pages/accessibility.html")
