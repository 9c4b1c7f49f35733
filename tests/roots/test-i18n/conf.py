from base_conf import *  # noqa: F403
