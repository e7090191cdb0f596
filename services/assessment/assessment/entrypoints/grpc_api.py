"""The AssessmentService servicer: translates protobuf to domain inputs and back, and delegates."""

from __future__ import annotations

from collections.abc import Callable

import grpc

from assessment.service_layer.common import Deps
from kinerja.assessment.v1 import assessment_pb2, assessment_pb2_grpc
from kinerja_kit.db import UnitOfWork

SERVICE_NAME = assessment_pb2.DESCRIPTOR.services_by_name["AssessmentService"].full_name

Ctx = grpc.ServicerContext


class AssessmentServicer(assessment_pb2_grpc.AssessmentServiceServicer):
    """Every RPC of kinerja.assessment.v1.AssessmentService; the caller interceptor has verified the caller."""

    def __init__(self, deps: Deps, uow: UnitOfWork) -> None:
        self.deps = deps
        # The kit's unit of work: `@idempotent` runs a retried create in one enclosing transaction.
        self.uow = uow


def register(servicer: AssessmentServicer) -> Callable[[grpc.Server], None]:
    """A register function for create_server."""

    def add(server: grpc.Server) -> None:
        assessment_pb2_grpc.add_AssessmentServiceServicer_to_server(servicer, server)

    return add
