//! A growable Fenwick (binary indexed) tree over 0/1 marks: counts marks before an index
//! and finds the first mark at or after one, both in O(log n).
//!
//! The waiting queues use one per service and class, indexed by the turn's sequence number
//! within the day, so a turn's position costs the same with ten turns waiting or 100,000.

/// Marks over indices `0..len`, with prefix counts.
#[derive(Debug, Clone, Default)]
pub struct Fenwick {
    /// 1-based tree; `tree.len() - 1` is a power of two (or the tree is empty).
    tree: Vec<u32>,
    total: u32,
}

impl Fenwick {
    /// Number of marked indices.
    pub fn total(&self) -> u32 {
        self.total
    }

    fn capacity(&self) -> usize {
        self.tree.len().saturating_sub(1)
    }

    /// Grows so that `index` fits; the tree covering `(n, 2n]` is empty but for its last
    /// node, which covers everything, so doubling needs no rebuild.
    fn grow_for(&mut self, index: usize) {
        if self.tree.is_empty() {
            self.tree = vec![0; 1024 + 1];
        }
        while index >= self.capacity() {
            let n = self.capacity();
            self.tree.resize(2 * n + 1, 0);
            self.tree[2 * n] = self.total;
        }
    }

    /// Adds `delta` (+1 or -1) at `index`.
    fn add(&mut self, index: usize, delta: i32) {
        self.grow_for(index);
        let mut i = index + 1;
        while i < self.tree.len() {
            self.tree[i] = self.tree[i].wrapping_add_signed(delta);
            i += i & i.wrapping_neg();
        }
        self.total = self.total.wrapping_add_signed(delta);
    }

    /// Marks `index`.
    pub fn insert(&mut self, index: u32) {
        self.add(index as usize, 1);
    }

    /// Unmarks `index` (which must be marked).
    pub fn remove(&mut self, index: u32) {
        self.add(index as usize, -1);
    }

    /// Number of marked indices strictly below `index`.
    pub fn count_below(&self, index: u32) -> u32 {
        let mut i = (index as usize).min(self.capacity());
        let mut sum = 0;
        while i > 0 {
            sum += self.tree[i];
            i &= i - 1;
        }
        sum
    }

    /// The first marked index at or after `from`.
    pub fn first_at_or_after(&self, from: u32) -> Option<u32> {
        let rank = self.count_below(from) + 1;
        self.find_kth(rank)
    }

    /// The `k`-th marked index (1-based rank).
    fn find_kth(&self, k: u32) -> Option<u32> {
        if k == 0 || k > self.total {
            return None;
        }
        let n = self.capacity();
        let mut pos = 0usize;
        let mut remaining = k;
        let mut step = n; // power of two
        while step > 0 {
            let next = pos + step;
            if next <= n && self.tree[next] < remaining {
                pos = next;
                remaining -= self.tree[next];
            }
            step >>= 1;
        }
        Some(pos as u32) // pos is the 1-based index of the last node before; 0-based answer
    }

    /// Bytes of memory held (for capacity planning).
    pub fn heap_bytes(&self) -> usize {
        self.tree.capacity() * 4
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeSet;

    proptest! {
        #[test]
        fn behaves_like_a_sorted_set(ops in proptest::collection::vec((0u32..5000, any::<bool>()), 1..400), probe in 0u32..6000) {
            let mut f = Fenwick::default();
            let mut set = BTreeSet::new();
            for (i, add) in ops {
                if add && !set.contains(&i) { set.insert(i); f.insert(i); }
                if !add && set.contains(&i) { set.remove(&i); f.remove(i); }
            }
            prop_assert_eq!(f.total() as usize, set.len());
            prop_assert_eq!(f.count_below(probe) as usize, set.range(..probe).count());
            prop_assert_eq!(f.first_at_or_after(probe), set.range(probe..).next().copied());
        }
    }
}
