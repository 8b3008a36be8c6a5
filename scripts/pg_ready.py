"""Exit 0 when the PostgreSQL server named by the URL accepts connections."""

import sys

import environ
import psycopg

config = environ.Env.db_url_config(sys.argv[1])
try:
    psycopg.connect(
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        dbname="postgres",
        connect_timeout=3,
    ).close()
except psycopg.Error as exc:
    print(f"PostgreSQL: {exc}".strip(), file=sys.stderr)
    sys.exit(1)
