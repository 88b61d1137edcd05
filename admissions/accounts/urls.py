from django.urls import path

from admissions.accounts import views

app_name = "accounts"
urlpatterns = [
    path("gestion/personnel/", views.staff_list, name="staff_list"),
    path("gestion/personnel/inviter", views.invite, name="staff_invite"),
    path("gestion/personnel/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("gestion/personnel/<int:pk>/roles", views.add_grant, name="staff_add_grant"),
    path(
        "gestion/personnel/<int:pk>/roles/<int:grant_pk>/retirer",
        views.revoke_grant,
        name="staff_revoke_grant",
    ),
    path("gestion/personnel/<int:pk>/desactiver", views.deactivate, name="staff_deactivate"),
    path("gestion/personnel/<int:pk>/reactiver", views.reactivate, name="staff_reactivate"),
    path(
        "gestion/personnel/<int:pk>/second-facteur",
        views.reset_second_factor,
        name="staff_reset_mfa",
    ),
    path(
        "gestion/personnel/<int:pk>/invitation",
        views.send_invitation_again,
        name="staff_reinvite",
    ),
]
