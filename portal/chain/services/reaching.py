""""How your work reaches customers" on /me and each profile: the person → their department
→ … → external customers, along declared links, the shortest chains (at most three), in
words. Read from one statement over the declared links (a few thousand rows at most),
searched breadth-first both ways (each link on a shortest chain lies between the two searches'
distances), cached under the chain's stamp."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

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


def _graph() -> tuple[dict[int, set[int]], dict[int, tuple[str, str]]]:
    """Each live department's declared clients (external customers as EXTERNAL_NODE)."""
    live = dict(
        (i, (name, slug))
        for i, name, slug in db.session.execute(
            select(Department.id, Department.name, Department.slug).where(Department.active)
        )
    )
    serves: dict[int, set[int]] = {}
    for server, client in db.session.execute(select(ChainLink.server_id, ChainLink.client_id)):
        client = EXTERNAL_NODE if client is None else client
        if server in live and (client in live or client == EXTERNAL_NODE):
            serves.setdefault(server, set()).add(client)
    return serves, live


def _distances(start: int, neighbours: dict[int, set[int]]) -> dict[int, int]:
    """How many links from `start` to each node it reaches (breadth first)."""
    found, queue = {start: 0}, deque([start])
    while queue:
        node = queue.popleft()
        for other in neighbours.get(node, ()):
            if other not in found:
                found[other] = found[node] + 1
                queue.append(other)
    return found


def chains_from(department_id: int) -> list[list[Step]]:
    """The shortest chains from the department to external customers: the first three in
    the order of their departments' names."""
    serves, live = _graph()
    served_by: dict[int, set[int]] = {}
    for server, clients in serves.items():
        for client in clients:
            served_by.setdefault(client, set()).add(server)
    ahead = _distances(department_id, serves)
    if EXTERNAL_NODE not in ahead or department_id == EXTERNAL_NODE:
        return []
    left = _distances(EXTERNAL_NODE, served_by)  # links still to go, from each node
    length = ahead[EXTERNAL_NODE]

    def name(node: int) -> str:
        return EXTERNAL_NAME if node == EXTERNAL_NODE else live[node][0]

    chains: list[list[int]] = []

    def walk(path: list[int]) -> None:  # depth first, by name: the chains come in order
        node = path[-1]
        if node == EXTERNAL_NODE:
            chains.append(path)
            return
        steps = [c for c in serves.get(node, ()) if left.get(c) == length - len(path)]
        for client in sorted(steps, key=name):
            if len(chains) == MOST:
                return
            walk([*path, client])

    walk([department_id])
    return [
        [Step(*live[n]) if n != EXTERNAL_NODE else Step(EXTERNAL_NAME, None) for n in chain]
        for chain in chains
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
