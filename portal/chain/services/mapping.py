"""The map of the value chain (/chain and /chain/<dept>): departments as a directed graph,
value flowing from the department that serves to the one it serves and on to external
customers; edges weighted by observed volume, marked by promise-keeping, declared and
observed told apart.

The layout: the declared links made acyclic (each cycle's back edges, found by a depth-first
search, set aside for layering only; they are still drawn; observed-only links are drawn, not
followed); the topological generations of the reversed graph (the standard library's
`graphlib`: networkx did the same for 18.6 MiB a worker) give the layers by their longest
way to the end of the chain, drawn left to right so external customers (and
partners and vendors, who only ask) stand on the right (departments with no declared link in
a column of their own on the left); within a layer nodes are ordered by the mean place of
their predecessors (one barycentre sweep), and a layer taller than `COLUMN_ROWS` wraps into
further columns. Only plain data leaves this module: the template
draws the SVG (no markup here)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from graphlib import TopologicalSorter

from sqlalchemy import or_, select, union_all

from portal.chain.services import SCOPE
from portal.core import caching
from portal.extensions import db
from portal.models import ChainFlow, ChainLink, ChainPartnerFlow, Department

EXTERNAL_NODE = 0  # the node id of external customers (department ids start at 1)
EXTERNAL_NAME = "External customers"
PARTNERS_NODE = -1  # the node id of partners and vendors: guests' requests (issue 18)
PARTNERS_NAME = "Partners and vendors"
# The nodes that are not departments: no page of their own, so drawn as focusable groups.
OUTSIDE = {
    EXTERNAL_NODE: (
        EXTERNAL_NAME,
        "The company's own customers, whom departments declare they serve.",
    ),
    PARTNERS_NODE: (
        PARTNERS_NAME,
        "Partner and vendor contacts who sign in as guests: a customer of their own, "
        "their requests counted apart from every department's.",
    ),
}
NODE_WIDTH, NODE_HEIGHT = 150, 34
COLUMN_GAP, ROW_GAP = 80, 18
LABEL_CHARACTERS = 20
# What the map draws (every link is in the table, whatever is drawn): every declared link,
# up to `DRAWN_MOST`; by default, of the links only observed in requests, those that carry
# at least a tenth of the busiest one's requests and no fewer than `OBSERVED_MIN_ASKED`
# (a trickle of one-off asks is the dashed tangle that hid the declared chain on the demo),
# the busiest `OBSERVED_DRAWN` of them on the whole map; with "show all", every observed
# link up to `DRAWN_MOST` too.
DRAWN_MOST = 400
OBSERVED_DRAWN = 40
OBSERVED_MIN_ASKED = 5
OBSERVED_MIN_SHARE = 0.1
MARGIN = 16
COLUMN_ROWS = 24
KEPT, FAIR = 0.9, 0.75  # promise-keeping marks: kept ≥ 90 %, fair ≥ 75 %, else poor


@dataclass
class Node:
    id: int
    name: str
    slug: str | None
    x: int = 0
    y: int = 0

    @property
    def is_external(self) -> bool:
        return self.id == EXTERNAL_NODE

    @property
    def is_partners(self) -> bool:
        return self.id == PARTNERS_NODE

    @property
    def description(self) -> str:
        """What a node that is not a department stands for (empty for a department)."""
        return OUTSIDE[self.id][1] if self.id in OUTSIDE else ""


@dataclass(slots=True)
class Edge:
    server: int
    client: int
    declared: bool = False
    reason: str = ""
    asked: int = 0
    handoffs: int = 0  # of `asked`: transfers and bundle children (observing.py)
    resolved: int = 0
    within_promise: int = 0
    median_minutes: int | None = None
    rating_sum: int = 0
    rating_count: int = 0
    width: float = 1.5
    path: str = ""
    drawn: bool = True

    @property
    def observed(self) -> bool:
        return self.asked > 0 or self.resolved > 0

    @property
    def share(self) -> float | None:
        return self.within_promise / self.resolved if self.resolved else None

    @property
    def rating(self) -> float | None:
        return self.rating_sum / self.rating_count if self.rating_count else None

    @property
    def mark(self) -> str:
        """Promise-keeping in one word: kept, fair, poor, or unknown (nothing resolved)."""
        share = self.share
        if share is None:
            return "unknown"
        return "kept" if share >= KEPT else "fair" if share >= FAIR else "poor"


@dataclass
class ChainMap:
    node_width = NODE_WIDTH
    node_height = NODE_HEIGHT
    label_characters = LABEL_CHARACTERS
    days: int
    focus: int | None
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    width: int = 0
    height: int = 0
    show_all: bool = False
    observed_threshold: int = 0  # the fewest requests an observed-only link drawn carries
    hidden: int = 0  # observed-only links not drawn by default
    drawn_count: int = 0  # the links the map draws (the rest are in the table only)

    def node(self, node_id: int) -> Node:
        return self._index()[node_id]

    def _index(self) -> dict[int, Node]:
        return {n.id: n for n in self.nodes}


def _departments() -> dict[int, tuple[str, str]]:
    rows = db.session.execute(
        select(Department.id, Department.name, Department.slug).where(Department.active)
    ).all()
    return {i: (name, slug) for i, name, slug in rows}


def _observe(edge: Edge, flow) -> None:
    """A flow's figures (a `chain_flow` or `chain_partner_flow` row) onto its edge."""
    edge.asked, edge.resolved = flow.asked, flow.resolved
    edge.within_promise, edge.median_minutes = flow.within_promise, flow.median_minutes
    edge.rating_sum, edge.rating_count = flow.rating_sum, flow.rating_count


def _edges(days: int, focus: int | None, live: dict) -> dict[tuple[int, int], Edge]:
    links = select(ChainLink.server_id, ChainLink.client_id, ChainLink.reason)
    # Plain rows, not ORM objects: with 300 departments a window holds tens of thousands.
    flows = select(
        ChainFlow.serving_id,
        ChainFlow.asking_id,
        ChainFlow.asked,
        ChainFlow.resolved,
        ChainFlow.handoffs,
        ChainFlow.within_promise,
        ChainFlow.median_minutes,
        ChainFlow.rating_sum,
        ChainFlow.rating_count,
    ).where(ChainFlow.window_days == days)
    partner_flows = select(ChainPartnerFlow).where(ChainPartnerFlow.window_days == days)
    if focus is not None:
        links = links.where(or_(ChainLink.server_id == focus, ChainLink.client_id == focus))
        # One select per side, each led by an index ("serving = f OR asking = f" read every
        # flow of the window: tens of thousands at 300 departments).
        flows = union_all(
            flows.where(ChainFlow.serving_id == focus),
            flows.where(ChainFlow.asking_id == focus, ChainFlow.serving_id != focus),
        )
        partner_flows = partner_flows.where(ChainPartnerFlow.serving_id == focus)
    edges: dict[tuple[int, int], Edge] = {}
    for server, client, reason in db.session.execute(links):
        client = EXTERNAL_NODE if client is None else client
        edge = edges.setdefault((server, client), Edge(server, client))
        edge.declared, edge.reason = True, reason
    for flow in db.session.execute(flows):
        edge = edges.get((flow.serving_id, flow.asking_id))
        if edge is None:  # observed only: made whole in one call (tens of thousands)
            edges[flow.serving_id, flow.asking_id] = Edge(
                flow.serving_id,
                flow.asking_id,
                asked=flow.asked,
                handoffs=flow.handoffs,
                resolved=flow.resolved,
                within_promise=flow.within_promise,
                median_minutes=flow.median_minutes,
                rating_sum=flow.rating_sum,
                rating_count=flow.rating_count,
            )
            continue
        _observe(edge, flow)
        edge.handoffs = flow.handoffs
    for flow in db.session.scalars(partner_flows):  # partners only ask: never declared
        edge = edges.setdefault(
            (flow.serving_id, PARTNERS_NODE), Edge(flow.serving_id, PARTNERS_NODE)
        )
        _observe(edge, flow)
    known = set(live) | set(OUTSIDE)
    return {k: e for k, e in edges.items() if k[0] in known and k[1] in known}


# A directed graph as each node's successors (every node a key, in a stable order).
Graph = dict[int, list[int]]


def _acyclic(graph: Graph) -> Graph:
    """The graph without the back edges of a depth-first search (so it has no cycle)."""
    dag: Graph = {node: [] for node in graph}
    state: dict[int, int] = {}  # 1 on the stack, 2 done
    for root in sorted(graph):
        if root in state:
            continue
        stack = [(root, iter(sorted(graph[root])))]
        state[root] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
                continue
            if state.get(child) == 1:
                continue  # a back edge: it closes a cycle
            dag[node].append(child)
            if child not in state:
                state[child] = 1
                stack.append((child, iter(sorted(graph[child]))))
    return dag


def _layering_graph(nodes: set[int], edges: dict[tuple[int, int], Edge]) -> Graph:
    """What the layers follow: the declared links without their cycles' back edges (the
    observed ones are drawn, not followed: they would string every department in a row)."""
    declared: Graph = {node: [] for node in sorted(nodes)}
    for (server, client), edge in edges.items():
        if edge.declared:
            declared.setdefault(server, []).append(client)
            declared.setdefault(client, [])
    return _acyclic(declared)


def _generations_to_the_end(dag: Graph) -> list[list[int]]:
    """The nodes by their longest way to a node that serves no one further: those first,
    then whoever serves only them, and so on (Kahn's generations of the reversed graph)."""
    order = TopologicalSorter({node: successors for node, successors in dag.items()})
    order.prepare()
    generations = []
    while order.is_active():
        ready = list(order.get_ready())
        generations.append(ready)
        order.done(*ready)
    return generations


def _place(chain_map: ChainMap, dag: Graph) -> None:
    """Layers by the longest way to the end of the chain (external customers, or whoever
    serves no one further), drawn left to right so value flows towards the customer."""
    predecessors: Graph = {node: [] for node in dag}
    for node, successors in dag.items():
        for successor in successors:
            predecessors[successor].append(node)
    alone = [n for n in dag if not dag[n] and not predecessors[n] and n not in OUTSIDE]
    lonely = set(alone)
    layers = _generations_to_the_end({n: s for n, s in dag.items() if n not in lonely})
    layers.reverse()
    if alone:  # declared nothing yet: a column of their own, on the left
        layers.insert(0, alone)
    names = {n.id: n.name for n in chain_map.nodes}
    index = chain_map._index()
    rank: dict[int, float] = {}
    column = 0
    for layer in layers:
        def barycentre(node: int, rank=rank) -> tuple[float, str]:
            before = [rank[p] for p in predecessors[node] if p in rank]
            return (sum(before) / len(before) if before else 0.0, names[node].casefold())

        layer.sort(key=barycentre)
        for start in range(0, len(layer), COLUMN_ROWS):
            for row, node_id in enumerate(layer[start : start + COLUMN_ROWS]):
                rank[node_id] = row
                node = index[node_id]
                node.x = MARGIN + column * (NODE_WIDTH + COLUMN_GAP)
                node.y = MARGIN + row * (NODE_HEIGHT + ROW_GAP)
            column += 1
    rows = max((len(layer) for layer in layers), default=0)
    chain_map.width = MARGIN * 2 + max(column, 1) * (NODE_WIDTH + COLUMN_GAP) - COLUMN_GAP
    chain_map.height = MARGIN * 2 + min(rows, COLUMN_ROWS) * (NODE_HEIGHT + ROW_GAP) - ROW_GAP


def _route(edge: Edge, nodes: dict[int, Node]) -> None:
    """A curve from the server's right side to the client's left side (or, going back
    a column or within one, out of the bottom and round)."""
    a, b = nodes[edge.server], nodes[edge.client]
    ay, by = a.y + NODE_HEIGHT / 2, b.y + NODE_HEIGHT / 2
    if b.x > a.x:
        x1, x2 = a.x + NODE_WIDTH, b.x
        bend = (x2 - x1) / 2
        edge.path = (
            f"M{x1},{ay:.0f} C{x1 + bend:.0f},{ay:.0f} {x2 - bend:.0f},{by:.0f} {x2},{by:.0f}"
        )
    else:
        x1, x2 = a.x + NODE_WIDTH / 2, b.x + NODE_WIDTH / 2
        y1, y2 = a.y + NODE_HEIGHT, b.y + NODE_HEIGHT
        low = max(y1, y2) + ROW_GAP
        edge.path = f"M{x1:.0f},{y1} C{x1:.0f},{low} {x2:.0f},{low} {x2:.0f},{y2}"


def _weigh(edges: list[Edge]) -> None:
    top = max((e.asked for e in edges), default=0)
    for edge in edges:
        if edge.asked and top:
            edge.width = round(1.5 + 6.5 * math.log1p(edge.asked) / math.log1p(top), 1)


def _choose_drawn(chain_map: ChainMap, show_all: bool) -> None:
    """Which links the map draws (see `DRAWN_MOST`); the edges come busiest first."""
    declared = [e for e in chain_map.edges if e.declared]
    observed = [e for e in chain_map.edges if not e.declared]
    whole = chain_map.focus is None
    busiest = max((e.asked for e in chain_map.edges), default=0)
    chain_map.observed_threshold = max(OBSERVED_MIN_ASKED, math.ceil(busiest * OBSERVED_MIN_SHARE))
    shown = [e for e in observed if e.asked >= chain_map.observed_threshold]
    shown = shown[:OBSERVED_DRAWN] if whole else shown
    kept = {id(e) for e in shown}
    hidden = [e for e in observed if id(e) not in kept]
    chain_map.hidden = len(hidden)  # by default: what "show all" adds
    if show_all:
        hidden = observed[DRAWN_MOST:] if whole else []
    for edge in (declared[DRAWN_MOST:] if whole else []) + hidden:
        edge.drawn = False


def build_map(days: int, focus: int | None = None, show_all: bool = False) -> ChainMap:
    """The map over `days` (30 or 90), of every department or of `focus`'s neighbourhood;
    `show_all`: every observed link drawn, not only the busier ones."""
    live = _departments()
    edges = _edges(days, focus, live)
    chain_map = ChainMap(days=days, focus=focus, show_all=show_all)
    ids = {i for pair in edges for i in pair}
    if focus is not None:
        ids.add(focus)
    for node_id in sorted(ids, key=lambda i: (i in OUTSIDE, -i, live.get(i, ("",))[0])):
        name, slug = live.get(node_id, (OUTSIDE.get(node_id, ("",))[0], None))
        chain_map.nodes.append(Node(node_id, name, slug))
    _place(chain_map, _layering_graph(ids, edges))
    nodes = chain_map._index()
    chain_map.edges = sorted(
        edges.values(), key=lambda e: (-e.asked, nodes[e.server].name, nodes[e.client].name)
    )
    _choose_drawn(chain_map, show_all)
    drawn = [edge for edge in chain_map.edges if edge.drawn]
    for edge in drawn:  # the table lists the rest in words: no curve to compute
        _route(edge, nodes)
    chain_map.drawn_count = len(drawn)
    _weigh(chain_map.edges)
    return chain_map


def cached_map(
    days: int, focus: int | None = None, versions: str | None = None, show_all: bool = False
) -> ChainMap:
    """`build_map` through the one cache, under the chain's stamp (a declared link or a
    refresh of the observed ones makes a new key), for at most CHAIN_MAP_CACHE_SECONDS (a
    renamed or archived department; a change of the directory clears it at once in the
    process that made it). A whole map is costly: 300 departments with 80,000 observed
    links take about 0.7 s to lay out."""
    return caching.cached(
        f"chain-map:{days}:{focus or 'all'}:{'every' if show_all else 'busy'}",
        lambda: build_map(days, focus, show_all),
        seconds=caching.lifetime("CHAIN_MAP_CACHE_SECONDS"),
        scopes=(SCOPE,),
        read_versions=versions,
    )


TABLE_ROWS = 50


@dataclass(frozen=True)
class TablePage:
    edges: list[Edge]
    number: int
    count: int
    total: int


def table_page(chain_map: ChainMap, raw_page: object) -> TablePage:
    """One page of the map's table (50 links a page; a page out of range shows the last)."""
    total = len(chain_map.edges)
    count = max(1, math.ceil(total / TABLE_ROWS))
    try:
        number = min(max(int(str(raw_page)), 1), count)
    except ValueError:
        number = 1
    start = (number - 1) * TABLE_ROWS
    return TablePage(chain_map.edges[start : start + TABLE_ROWS], number, count, total)
