from django.db import transaction

from .models import Preference


@transaction.atomic
def preference_save(*, user, default_plan) -> Preference:
    """Record the user's default plan (None: choose automatically); return the preference."""
    preference = Preference.objects.select_for_update().filter(user=user).first()
    if preference is None:
        preference = Preference(user=user)
    elif preference.default_plan_id == (default_plan.pk if default_plan else None):
        return preference
    preference.default_plan = default_plan
    preference._history_user = user
    preference.save()
    return preference
