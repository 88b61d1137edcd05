from django.urls import path

from admissions.payments import views

app_name = "payments"
urlpatterns = [
    path("gestion/paiements/", views.pending_payments, name="pending"),
    path("gestion/paiements/export.<str:fmt>", views.pending_payments_export, name="export"),
    path("gestion/paiements/<int:pk>/decision", views.decide, name="decide"),
    path("dossier/paiements/<int:pk>/recu.pdf", views.payment_receipt, name="receipt"),
]
