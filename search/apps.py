from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("站内搜索")

    def ready(self):
        from articles.models import Article
        from partnerships.models import Agency

        from . import signals
        from .models import SearchPromotion, SearchSynonym

        post_save.connect(signals.article_saved, sender=Article, dispatch_uid="search-article")
        m2m_changed.connect(
            signals.article_tags_changed,
            sender=Article.tags.through,
            dispatch_uid="search-article-tags",
        )
        # An article's index row goes with it (on_delete=CASCADE), so deletes need no receiver.
        for model in (Agency, SearchSynonym):
            for signal in (post_save, post_delete):
                signal.connect(
                    signals.synonyms_changed, sender=model, dispatch_uid=f"search-{model.__name__}"
                )
        # Only a promotion's own row decides which queries have promoted results.
        for signal in (post_save, post_delete):
            signal.connect(
                signals.promotions_changed,
                sender=SearchPromotion,
                dispatch_uid=f"search-promotion-{signal}",
            )
