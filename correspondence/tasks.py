from celery import shared_task

from . import services


@shared_task(acks_late=True)
def follow_up_reminders_sweep():
    """Daily: remind working groups whose letters have had no answer for three and six weeks."""
    return services.reminders_sweep()
