"""The role home: it only routes each user to the page their role starts from."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from schools.models import Role, School
from schools.policies import roles_of


@login_required
def home(request):
    roles = roles_of(request.user)
    if roles.is_central_office or Role.LIAISON in roles.district:
        return redirect("district_overview")
    if roles.school_ids:
        school = School.objects.filter(pk__in=roles.school_ids).order_by("name").only("code").first()
        return redirect("school_detail", code=school.code)
    return render(request, "home_no_role.html")
