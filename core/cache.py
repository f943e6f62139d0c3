"""The shared cache's Redis backend, with one Redis client per connection pool.

Django's `RedisCacheClient` makes a new `redis.Redis` for every cache call, and redis-py builds its table
of about 165 response callbacks anew in each one (redis/redis-py#3624). On a warm signed-in page, which
reads the session, the roles, the navigation and the unread count from the cache, that was more CPU than
the rest of the cache calls together. A `redis.Redis` made on a connection pool may serve every thread:
each command takes a connection from the pool and gives it back, and the pool opens new connections in a
forked worker. So one client is made per pool, the first time it is needed, and kept.
"""

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
