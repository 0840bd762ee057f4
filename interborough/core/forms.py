from django import forms


class AuditFilterForm(forms.Form):
    action = forms.CharField(required=False, max_length=100, label="Action starts with")
    actor = forms.CharField(required=False, max_length=100, label="Who (email contains)")
    organisation = forms.SlugField(required=False, max_length=100, label="Organisation (slug)")
    request_id = forms.CharField(required=False, max_length=64, label="Request id")
    since = forms.DateField(required=False, label="From (YYYY-MM-DD)")
    until = forms.DateField(required=False, label="To (YYYY-MM-DD)")
