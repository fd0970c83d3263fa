"""Who may do what with the programme's engagement records. One place decides; views ask
through engagement.access.

Everyone in the programme reads the non-personal pages (counts, activities, published
stories, "you said, we did"). Feedback quotes and champions' names are personal data: only
the PMO and engagement leads read them (and write anything); the PMO alone approves a story
for publication and decides what the public page shows. The objects are a Programme or any
engagement record (they all carry programme_id).
"""

import rules

from qip.rules import is_engagement_lead, is_pmo, is_programme_member

is_superuser = rules.is_superuser
can_manage = is_superuser | is_pmo | is_engagement_lead


@rules.predicate
def is_published_story(user, story) -> bool:
    return story is not None and getattr(story, "is_published", False)


rules.add_perm("engagement.view_engagement", is_superuser | is_programme_member)
rules.add_perm("engagement.manage_engagement", can_manage)
# Feedback quotes, unpublished stories and champions' names.
rules.add_perm("engagement.view_personal", can_manage)
rules.add_perm("engagement.view_story", can_manage | (is_programme_member & is_published_story))
rules.add_perm("engagement.approve_story", is_superuser | is_pmo)
rules.add_perm("engagement.manage_public_page", is_superuser | is_pmo)
