"""What a user may do with a case they can see; decided by `saferhub.policy`, named here so models can refer to it."""

from enum import Enum


class Access(Enum):
    VIEW = 1
    CONTRIBUTE = 2
    EDIT = 3
