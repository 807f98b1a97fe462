from rest_framework.pagination import PageNumberPagination

from anlan.core.paging import IdFirstPaginator


class Pagination(PageNumberPagination):
    """?page=N&page_size=M (at most 200)."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 200
    django_paginator_class = IdFirstPaginator
