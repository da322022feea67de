//! How much work `layout-rs` would do on a graph, estimated before it starts.
//!
//! An edge that skips ranks gets a slot in each rank it crosses, and the
//! crossing optimiser compares every pair of slots in a rank with the next
//! rank, fifty times over: a definition with one wide Choice, or with many
//! edges reaching far, takes seconds to minutes. The estimate picks the
//! plainer placement, or refuses, before that happens.

/// Graphs whose sum over ranks of "pairs of slots × slots in the next rank"
/// is at most this get the crossing optimiser: about 20 ms in release. The
/// support case type needs about 300.
const CROSSING_WORK: usize = 50_000;
/// Graphs with more slots than this are not laid out at all: the plain
/// placement grows with their square, and 2000 take about 30 ms.
const MAX_SLOTS: usize = 2_000;

/// How to lay a graph out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Plan {
    /// With the crossing optimiser.
    Optimised,
    /// Without it: ranks and placement only.
    Plain,
    /// Not at all: it would take too long.
    Refused,
}

/// An edge for the estimate: its ends, forward by `order`, and whether a
/// label slot sits on it.
pub(super) type Span = (usize, usize, bool);

/// The plan for `count` nodes with `edges`, all going forward in `order`.
pub(super) fn plan(count: usize, edges: &[Span], order: &[usize]) -> Plan {
    let widths = rank_widths(count, edges, order);
    let slots: usize = widths.iter().sum();
    let work: usize = widths
        .windows(2)
        .map(|w| (w[0] * w[0]).saturating_mul(w[1]))
        .fold(0, usize::saturating_add);
    if slots > MAX_SLOTS {
        Plan::Refused
    } else if work > CROSSING_WORK {
        Plan::Plain
    } else {
        Plan::Optimised
    }
}

/// How many slots each rank holds when every node sits one rank below the
/// lowest node with an edge to it, as `layout-rs` ranks them first.
fn rank_widths(count: usize, edges: &[Span], order: &[usize]) -> Vec<usize> {
    let mut outgoing = vec![Vec::new(); count];
    for (i, &(from, to, _)) in edges.iter().enumerate() {
        if from < count && to < count && from != to {
            outgoing[from].push(i);
        }
    }
    let mut by_order: Vec<usize> = (0..count).collect();
    by_order.sort_by_key(|&n| order.get(n).copied().unwrap_or(0));
    let mut rank = vec![0usize; count];
    for &node in &by_order {
        for &i in &outgoing[node] {
            let (_, to, labelled) = edges[i];
            let step = if labelled { 2 } else { 1 };
            rank[to] = rank[to].max(rank[node] + step);
        }
    }
    let height = rank.iter().max().map_or(0, |r| r + 2);
    // Slots per rank, via differences: +1 where an edge's slots start, -1 after.
    let mut delta = vec![0isize; height + 1];
    for &r in &rank {
        delta[r] += 1;
        delta[r + 1] -= 1;
    }
    for outgoing in &outgoing {
        for &i in outgoing {
            let (from, to, _) = edges[i];
            if rank[to] > rank[from] + 1 {
                delta[rank[from] + 1] += 1;
                delta[rank[to]] -= 1;
            }
        }
    }
    let mut widths = Vec::with_capacity(height);
    let mut running = 0isize;
    for d in delta.iter().take(height) {
        running += d;
        widths.push(running.max(0).unsigned_abs());
    }
    widths
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edge_that_skips_ranks_takes_a_slot_in_each() {
        // Arrange: 0 → 1 → 2 → 3 and 0 → 3.
        let edges = [(0, 1, false), (1, 2, false), (2, 3, false), (0, 3, false)];

        // Act
        let widths = rank_widths(4, &edges, &[0, 1, 2, 3]);

        // Assert
        assert_eq!(widths, [1, 2, 2, 1, 0]);
    }

    #[test]
    fn a_chain_is_optimised_and_a_wide_fan_with_far_edges_is_not() {
        // Arrange: a chain of 40, and a fan from node 0 to each of them.
        let chain: Vec<Span> = (0..40).map(|i| (i, i + 1, false)).collect();
        let fan: Vec<Span> = chain
            .iter()
            .copied()
            .chain((2..41).map(|i| (0, i, true)))
            .collect();
        let order: Vec<usize> = (0..41).collect();

        // Act
        let plans = [plan(41, &chain, &order), plan(41, &fan, &order)];

        // Assert
        assert_eq!(plans, [Plan::Optimised, Plan::Plain]);
    }

    #[test]
    fn a_graph_with_too_many_slots_is_refused() {
        // Arrange: a fan of far edges from 0 over a chain of 150.
        let edges: Vec<Span> = (0..150)
            .map(|i| (i, i + 1, false))
            .chain((2..151).map(|i| (0, i, true)))
            .collect();
        let order: Vec<usize> = (0..151).collect();

        // Act
        let plan = plan(151, &edges, &order);

        // Assert
        assert_eq!(plan, Plan::Refused);
    }
}
