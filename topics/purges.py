"""Which cached pages a change to topics, their sections and chosen articles touches.

Connected from ``TopicsConfig.ready()``; see :mod:`qxs.purge` and :mod:`qxs.surrogate`. A topic
shows on its page and feed (``topic-<pk>``), the list of topics and the sitemap (``topics``),
and, when current, the home page and the reader's site map (which carry ``topics`` too).
"""

from qxs import surrogate
from qxs.purge import purge_on_change

from .models import Topic, TopicEntry, TopicSection


def topic_keys(topic):
    return [surrogate.topic(topic.pk), surrogate.TOPICS]


def connect():
    purge_on_change(Topic, topic_keys)
    purge_on_change(TopicSection, lambda section: [surrogate.topic(section.topic_id)])
    purge_on_change(
        TopicEntry,
        lambda entry: [
            surrogate.topic(topic_id)
            for topic_id in TopicSection.objects.filter(pk=entry.section_id).values_list(
                "topic_id", flat=True
            )
        ],
    )
