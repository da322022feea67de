//! An order of the nodes in which every edge but a loop back goes forward.
//!
//! `layout-rs` turns a graph into a DAG by asking, for each edge, whether its
//! source is reachable from its target, with a search that walks every path
//! rather than every node: on a definition with many joining paths that takes
//! exponential time. Handing it edges that already go forward, each added
//! before its target has successors of its own, keeps every such search to
//! one step.

/// Each node's position in a reverse post-order of a depth-first walk from
/// `roots` in turn (then from every node not yet reached), over `edges`.
///
/// Edges within the walk's tree, and across it, go from a lower position to
/// a higher one; only edges back to a node on the walk's current path go
/// from higher to lower.
pub(super) fn forward_order(count: usize, edges: &[(usize, usize)], roots: &[usize]) -> Vec<usize> {
    let mut successors = vec![Vec::new(); count];
    for &(from, to) in edges {
        if from < count && to < count {
            successors[from].push(to);
        }
    }
    let mut seen = vec![false; count];
    let mut post_order = Vec::with_capacity(count);
    for &root in roots.iter().chain(&(0..count).collect::<Vec<_>>()) {
        if root >= count || seen[root] {
            continue;
        }
        seen[root] = true;
        // Each entry: a node and how many of its successors were looked at.
        let mut stack = vec![(root, 0)];
        while let Some((node, next)) = stack.last_mut() {
            let node = *node;
            if let Some(&successor) = successors[node].get(*next) {
                *next += 1;
                if !seen[successor] {
                    seen[successor] = true;
                    stack.push((successor, 0));
                }
            } else {
                post_order.push(node);
                stack.pop();
            }
        }
    }
    let mut position = vec![0; count];
    for (i, node) in post_order.iter().rev().enumerate() {
        position[*node] = i;
    }
    position
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_loop_back_goes_backwards() {
        // Arrange: 0 → 1 → 2 → 3, 2 → 1 (a loop), 0 → 3 (a shortcut).
        let edges = [(0, 1), (1, 2), (2, 3), (2, 1), (0, 3)];

        // Act
        let order = forward_order(4, &edges, &[0]);

        // Assert
        let backwards: Vec<_> = edges
            .iter()
            .filter(|(a, b)| order[*a] > order[*b])
            .collect();
        assert_eq!(backwards, [&(2, 1)]);
    }

    #[test]
    fn nodes_the_roots_do_not_reach_are_ordered_too() {
        // Arrange
        let edges = [(2, 3), (3, 2)];

        // Act
        let order = forward_order(4, &edges, &[0]);

        // Assert
        let mut sorted = order.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, [0, 1, 2, 3]);
    }
}
