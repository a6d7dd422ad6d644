"""Settings of bench/scale.py's floor app: the production profile, with a URLconf that adds two
constant answers to the portal's own URLs (``bench/floor_urls.py``). Never deployed."""

from config.settings.production import *  # noqa: F403 - the production profile, unchanged

ROOT_URLCONF = "floor_urls"
