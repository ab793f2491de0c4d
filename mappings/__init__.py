"""The declarative Config-to-Public map: the one source of truth about both APIs.

Data lives in the TOML files beside this module; `load_map()` validates and indexes them once.
"""

from .api import ApiMap, ConfigMatch, PublicMatch, template_pattern
from .loader import load_map
from .model import Endpoint, EnumMap, Field_, IdKind, PublicOperation, PublicStep, Resource, WrapperChain, camel

__all__ = [
    "ApiMap",
    "ConfigMatch",
    "Endpoint",
    "EnumMap",
    "Field_",
    "IdKind",
    "PublicMatch",
    "PublicOperation",
    "PublicStep",
    "Resource",
    "WrapperChain",
    "camel",
    "load_map",
    "template_pattern",
]
