//! Stable sorting for the card's short lists (a few dozen rows at most) by insertion. The
//! standard library's stable sort is a driftsort of several kilobytes of module for each element
//! type it sorts (the card sorted five types: 28 KB before compression); this is a loop.

use std::cmp::Ordering;

/// Sorts `items` by `compare`, equal items keeping their order.
pub fn by<T>(items: &mut [T], compare: impl Fn(&T, &T) -> Ordering) {
    for sorted in 1..items.len() {
        let mut at = sorted;
        while at > 0 && compare(&items[at - 1], &items[at]) == Ordering::Greater {
            items.swap(at - 1, at);
            at -= 1;
        }
    }
}

/// Sorts `items` by `key`, equal keys keeping their order.
pub fn by_key<T, K: Ord>(items: &mut [T], key: impl Fn(&T) -> K) {
    by(items, |a, b| key(a).cmp(&key(b)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_as_the_standard_stable_sort_does() {
        // Pairs (key, original position): equal keys must keep their positions' order.
        let mut seed = 7u32;
        for len in [0, 1, 2, 3, 10, 57] {
            let items: Vec<(u32, usize)> = (0..len)
                .map(|i| {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    ((seed >> 16) % 5, i)
                })
                .collect();
            let mut ours = items.clone();
            by_key(&mut ours, |p| p.0);
            let mut std_sorted = items.clone();
            std_sorted.sort_by_key(|p| p.0);
            assert_eq!(ours, std_sorted, "{len} items");
            let mut reversed = items.clone();
            by(&mut reversed, |a, b| b.0.cmp(&a.0));
            let mut std_reversed = items;
            std_reversed.sort_by_key(|p| std::cmp::Reverse(p.0));
            assert_eq!(reversed, std_reversed, "{len} items, descending");
        }
    }
}
