""""How your work reaches customers" on /me and each profile: the person → their department
→ … → external customers, along declared links, the shortest chains (at most three), in
words. Read from one statement over the declared links (a few thousand rows at most),
searched with networkx, cached under the chain's stamp."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice

import networkx as nx
from sqlalchemy import select

from portal.chain.services import SCOPE
from portal.chain.services.mapping import EXTERNAL_NAME, EXTERNAL_NODE
from portal.core import caching
from portal.extensions import db
from portal.models import ChainLink, Department

MOST = 3


@dataclass(frozen=True)
class Step:
    name: str
    slug: str | None  # None: external customers


def _graph() -> tuple[nx.DiGraph, dict[int, tuple[str, str]]]:
    live = dict(
        (i, (name, slug))
        for i, name, slug in db.session.execute(
            select(Department.id, Department.name, Department.slug).where(Department.active)
        )
    )
    graph = nx.DiGraph()
    for server, client in db.session.execute(select(ChainLink.server_id, ChainLink.client_id)):
        client = EXTERNAL_NODE if client is None else client
        if server in live and (client in live or client == EXTERNAL_NODE):
            graph.add_edge(server, client)
    return graph, live


def chains_from(department_id: int) -> list[list[Step]]:
    """Up to three shortest chains from the department to external customers."""
    graph, live = _graph()
    if department_id not in graph or EXTERNAL_NODE not in graph:
        return []
    try:
        paths = list(islice(nx.all_shortest_paths(graph, department_id, EXTERNAL_NODE), MOST))
    except nx.NetworkXNoPath:
        return []
    return [
        [Step(*live[n]) if n != EXTERNAL_NODE else Step(EXTERNAL_NAME, None) for n in path]
        for path in sorted(paths, key=lambda p: [live.get(n, ("~",))[0] for n in p])
    ]


def cached_chains(department_id: int | None) -> list[list[Step]]:
    if department_id is None:
        return []
    return caching.cached(
        f"chain-reach:{department_id}",
        lambda: chains_from(department_id),
        seconds=caching.lifetime("DIRECTORY_CACHE_SECONDS"),
        scopes=(SCOPE,),
    )
