"""Graphs of links between rows, over whole numpy arrays: loops of pointer chains, edges that may lie on a
cycle, cycles and connected components. The cross-table rules ask these of relations and hierarchies
(event_relations, parent actors and places, running totals); every node is a row number or an integer
code, never a Python object per row, but in the exact search of the few edges left.
"""

from __future__ import annotations


def loops(following):
    """Rows on a loop of a pointer chain (each row points to at most one row: ``following``, -1 for none).

    Following the pointers 2**k >= n times from every row lands only on loops, and lands on every row of
    every loop (a loop maps onto itself), so the rows reached are exactly the rows on loops: k doublings,
    each one take over the whole column."""
    import numpy as np

    n = len(following)
    g = np.append(np.where(following >= 0, following, n), n)  # row n: the end of every chain, a fixed point
    for _ in range(max(1, n.bit_length())):
        g = g[g]
        if (g == n).all():  # every chain has ended: no loop (hierarchies are shallow, this comes soon)
            return np.zeros(n, dtype=bool)
    on = np.zeros(n + 1, dtype=bool)
    on[g] = True
    return on[:n]


def on_cycles(sources, targets, rounds: int = 64):
    """Edges (``sources[k]`` -> ``targets[k]``, two pandas text columns) that may lie on a cycle, as a numpy
    mask: repeatedly drop the edges touching a node with no link in or no link out (such a node is on no
    cycle). Links between events are sparse, so a few rounds leave
    almost nothing for the exact search; a long chain left after ``rounds`` only costs that search time."""
    import numpy as np

    from .keys import codes

    src, dst = codes(sources, targets)
    alive = np.ones(len(src), dtype=bool)
    nodes = int(max(src.max(initial=-1), dst.max(initial=-1))) + 1
    for _ in range(rounds):
        into = np.bincount(dst[alive], minlength=nodes) > 0
        out_of = np.bincount(src[alive], minlength=nodes) > 0
        keep = alive & into[src] & out_of[src] & into[dst] & out_of[dst]
        if keep.sum() == alive.sum():
            break
        alive = keep
    return alive


def cycle_edges(graph):
    """Indices of edges that lie on a cycle, in ``graph``: node -> [(node it links to, edge index)]
    (iterative Tarjan strongly connected components)."""
    index_of, low, on_stack, stack, comp = {}, {}, set(), [], {}
    counter = [0]
    for start in list(graph):
        if start in index_of:
            continue
        work = [(start, iter(graph.get(start, [])))]
        index_of[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, edges = work[-1]
            advanced = False
            for dst, _ in edges:
                if dst not in index_of:
                    index_of[dst] = low[dst] = counter[0]
                    counter[0] += 1
                    stack.append(dst)
                    on_stack.add(dst)
                    work.append((dst, iter(graph.get(dst, []))))
                    advanced = True
                    break
                if dst in on_stack:
                    low[node] = min(low[node], index_of[dst])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index_of[node]:
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    comp[member] = node
                    if member == node:
                        break
    return [i for src, edges in graph.items() for dst, i in edges if comp.get(src) == comp.get(dst)]


def components(source, target, n: int):
    """Connected components of the links source[k] -- target[k] between nodes 0..n-1 (-1 ends are
    skipped): each node's label is the lowest node of its component. Hooking and pointer jumping over
    whole arrays, a few rounds however long the chains."""
    import numpy as np

    label = np.arange(n, dtype=np.int64)
    keep = (source >= 0) & (target >= 0)
    source, target = source[keep], target[keep]
    while True:
        a, b = label[source], label[target]
        moving = a != b
        if not moving.any():
            return label
        np.minimum.at(label, np.maximum(a, b)[moving], np.minimum(a, b)[moving])
        while True:
            jumped = label[label]
            if (jumped == label).all():
                break
            label = jumped


def loop_text(following, keys, start: int, limit: int = 8) -> str:
    """``start``'s loop as text (a -> b -> a), for a message: ``following[i]`` is the row ``i`` points to.
    Only rows on a loop are asked; a loop longer than ``limit`` ends in "..."."""
    path, at = [keys[start]], int(following[start])
    while at != start and len(path) <= limit:
        path.append(keys[at])
        at = int(following[at])
    return " -> ".join(path + ([keys[start]] if at == start else ["..."]))
