"""Every enum exists in three places (proto, a service's domain, GraphQL); they agree by name and value.

The gateway's enums are derived from the proto (api/protobuf.py ProtoEnum), so they agree by
construction; this checks that, and that each domain enum of services/<svc>/<svc>/domain with a proto
enum of the same name has the same members with the same numbers (UNSPECIFIED aside). Reading the
domains is fine in a test; the gateway itself never imports a service package.
"""

from __future__ import annotations

import enum
import importlib
import inspect
import pkgutil
from types import ModuleType

import pytest

from gateway.api.protobuf import ProtoEnum, enum_members
from gateway.api.schema import schema
from kinerja.identity.v1 import identity_pb2
from kinerja.org.v1 import org_pb2
from kinerja.skp.v1 import skp_pb2

CONTRACTS: dict[str, ModuleType] = {"identity": identity_pb2, "org": org_pb2, "skp": skp_pb2}


def domain_enums(service: str) -> dict[str, type[enum.Enum]]:
    """The enums defined in a service's domain package, by name."""
    package = importlib.import_module(f"{service}.domain")
    found: dict[str, type[enum.Enum]] = {}
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, enum.Enum)
                and value.__module__ == module.__name__
            ):
                found[name] = value
    return found


def members(kind: type[enum.Enum]) -> dict[str, object]:
    return {m.name: m.value for m in kind if m.name != "UNSPECIFIED"}


@pytest.mark.parametrize("service", sorted(CONTRACTS))
def test_domain_enums_agree_with_the_proto_enums_of_the_same_name(service: str) -> None:
    contract = CONTRACTS[service].DESCRIPTOR.enum_types_by_name
    paired = {name: kind for name, kind in domain_enums(service).items() if name in contract}
    for name, kind in paired.items():
        assert members(kind) == enum_members(contract[name]), f"{service}.domain {name} != proto {name}"
    if service == "skp":  # guards the pairing itself: skp's domain mirrors these enums
        assert {"StatusSkp", "JenisRhk", "Aspek", "NilaiPerilaku", "PeranTim"} <= set(paired)
    if service == "org":
        assert {"JenisUnor", "JenisJabatan", "JenisPlt"} <= set(paired)


def test_every_graphql_enum_of_a_proto_enum_has_its_members() -> None:
    contracts = {
        name: descriptor
        for module in CONTRACTS.values()
        for name, descriptor in module.DESCRIPTOR.enum_types_by_name.items()
    }
    checked = 0
    for definition in schema.schema_converter.type_map.values():
        kind = getattr(definition.definition, "wrapped_cls", None)
        if kind is None or not issubclass(kind, enum.Enum) or kind.__name__ not in contracts:
            continue
        assert issubclass(kind, ProtoEnum), f"{kind.__name__}: derive it from the proto (ProtoEnum)"
        assert members(kind) == enum_members(contracts[kind.__name__]), kind.__name__
        checked += 1
    assert checked >= 15
