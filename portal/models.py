"""Site-wide settings that staff edit in the admin without a deploy."""

from django.core.cache import cache
from django.db import models
from django.db.models import Q, Subquery
from django.utils.translation import gettext_lazy as _

from qxs.cache import site_wide


class SiteIdentity(models.Model):
    """The identity a government site shows in its footer (网站标识码, ICP备案号, 主办单位...).

    There is one row (pk 1). Pages read it through ``portal.context_processors.site`` from the
    cache, so it costs no query once cached; saving it clears the cached copy.
    """

    CACHE_KEY = "qxs:site-identity"
    CACHE_TIMEOUT = 60 * 60

    site_name = models.CharField(
        _("网站名称"), max_length=100, default="质量兴市", help_text=_("显示在页头和页面标题中。")
    )
    domain = models.CharField(
        _("网站域名"),
        max_length=100,
        blank=True,
        help_text=_("例如 zlxs.example.gov.cn，用于页面的 SiteDomain 标记。"),
    )
    site_code = models.CharField(
        _("网站标识码"),
        max_length=20,
        blank=True,
        help_text=_("政府网站标识码，例如 2302000001。"),
    )
    icp_number = models.CharField(
        _("ICP备案号"), max_length=50, blank=True, help_text=_("例如“黑ICP备05000000号”。")
    )
    public_security_number = models.CharField(
        _("公安备案号"),
        max_length=50,
        blank=True,
        help_text=_("例如“黑公网安备 23020002000000号”，没有可不填。"),
    )
    sponsor = models.CharField(
        _("主办单位"), max_length=100, blank=True, help_text=_("例如“某市质量技术监督局”。")
    )
    operator = models.CharField(
        _("承办单位"), max_length=100, blank=True, help_text=_("与主办单位相同时可不填。")
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=50, blank=True)
    email = models.EmailField(_("联系邮箱"), blank=True)

    class Meta:
        verbose_name = _("网站标识")
        verbose_name_plural = _("网站标识")
        # The table kept its name when the model moved from the qxs package (portal 0001).
        db_table = "qxs_siteidentity"
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="site_identity_single_row"),
        ]

    def __str__(self):
        return self.site_name

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)
        cache.delete(self.CACHE_KEY)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        cache.delete(self.CACHE_KEY)
        return result

    @classmethod
    def current(cls):
        """The site identity, from the cache when possible (one query at most).

        Without a saved row an unsaved default is returned (and cached), so a fresh site
        still has a footer and never queries on every page. The query is the site-wide one
        (``qxs.cache.site_wide``), which also reads the page's expiry.
        """
        identity = cache.get(cls.CACHE_KEY)
        if identity is None:
            identity = site_wide(SITE_WIDE_NAME)
            cache.set(cls.CACHE_KEY, identity, cls.CACHE_TIMEOUT)
        return identity


# How the site identity is read with the other site-wide values (registered in PortalConfig).
SITE_WIDE_NAME = "site_identity"
IDENTITY_FIELDS = tuple(field.attname for field in SiteIdentity._meta.concrete_fields)


def site_identity_expressions():
    """Each field of the identity's row as a scalar subquery (NULL before it is first saved)."""
    row = SiteIdentity.objects.filter(pk=1)
    return {name: Subquery(row.values(name)) for name in IDENTITY_FIELDS}


def site_identity_from(values):
    if values["id"] is None:
        return SiteIdentity(pk=1)
    return SiteIdentity.from_db("default", IDENTITY_FIELDS, [values[n] for n in IDENTITY_FIELDS])
