//! The call card's memory: blocks handed out one after the other and never given back.
//!
//! Why: with a `dealloc` that does nothing, the compiler drops every piece of code that only
//! frees memory, which is most of the code that drops values (a list's loop over its items, an
//! `Rc`'s last release, a closure's captured texts…), and the allocator itself is a few lines
//! instead of `dlmalloc`. The call card's module is 4.9 KB brotli smaller (README, "Bundle
//! budget"). An allocator that frees, even only its large blocks, kept that code: 0.3 KB less
//! at best.
//!
//! What it costs: memory grows with what the card does and is given back when the tab closes,
//! which the portal does after each call (its call card closes when the call ends, or later while
//! something is unsaved: `live::AutoCloseHold`). Measured in the end-to-end sandbox
//! (`tests/e2e/memory.rs` keeps it within bounds): 2.1 MiB once a card is shown, about 0.35 MiB
//! for each further card shown during the call (a pick, a creation, a reload), none over a minute
//! of the card standing (its clock ticks every 20 s), and for a comment typed key by key about its
//! length times the number of keys, since each key brings the box's text into the module once
//! (1,080 characters: 1 MiB; 2,160: 3 MiB; the composer keeps no other copy of it). The app's
//! own page, which an administrator may keep open, keeps the standard allocator.
//!
//! The placing arithmetic ([`Cursor`]) is pure and tested natively; growing the WebAssembly
//! memory is the only part for the browser ([`Heap`]).

/// A WebAssembly memory page.
pub const PAGE: usize = 65_536;

/// The memory grows by at least 1 MiB at a time: each growth makes the JS glue renew its views
/// of the memory, so it should be seldom.
pub const GROWTH_PAGES: usize = 16;

/// Where the next block goes, and where the memory grown so far ends (both byte addresses).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cursor {
    pub next: usize,
    pub end: usize,
}

impl Cursor {
    /// Nothing placed, no memory of its own yet.
    pub const EMPTY: Cursor = Cursor { next: 0, end: 0 };

    /// The address of a block of `size` bytes aligned to `align` (a power of two, as a `Layout`
    /// has) at or after `next`, and the cursor after it; `None` when it does not fit before
    /// `end`, also when an address would overflow.
    pub fn place(self, size: usize, align: usize) -> Option<(usize, Cursor)> {
        let start = self.next.checked_add(align - 1)? & !(align - 1);
        let after = start.checked_add(size)?;
        (after <= self.end).then_some((start, Cursor { next: after, ..self }))
    }

    /// The cursor after the block at `start` of `old` bytes becomes `new` bytes long where it
    /// is, which it can when it is the last block placed and the memory has room; `None`
    /// otherwise (the block is then copied).
    pub fn resize_last(self, start: usize, old: usize, new: usize) -> Option<Cursor> {
        if start.checked_add(old)? != self.next {
            return None;
        }
        let after = start.checked_add(new)?;
        (after <= self.end).then_some(Cursor { next: after, ..self })
    }

    /// The cursor once the memory grew from `from` to `to` (byte addresses): placing goes on
    /// where it was when the new memory follows its own, and starts at `from` otherwise (the
    /// first growth, or memory someone else grew meanwhile).
    pub fn grown(self, from: usize, to: usize) -> Cursor {
        let next = if from == self.end { self.next } else { from };
        Cursor { next, end: to }
    }
}

/// How many pages to grow the memory by for a block of `size` bytes aligned to `align`: enough
/// for it wherever the new memory starts, and at least [`GROWTH_PAGES`].
pub fn pages_for(size: usize, align: usize) -> usize {
    (size.saturating_add(align) / PAGE + 1).max(GROWTH_PAGES)
}

/// The allocator of the call card's module (`src/main.rs` names it the global one).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
pub struct Heap {
    cursor: core::cell::Cell<Cursor>,
}

// The module has one thread (no `atomics`): nothing can read the cursor while it changes.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
unsafe impl Sync for Heap {}

#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
impl Heap {
    pub const fn new() -> Heap {
        Heap { cursor: core::cell::Cell::new(Cursor::EMPTY) }
    }

    /// Places a block, growing the memory when it does not fit; null when the memory cannot
    /// grow (the caller's allocation error).
    fn place(&self, size: usize, align: usize) -> *mut u8 {
        let cursor = self.cursor.get();
        let placed = cursor.place(size, align).or_else(|| {
            let pages = pages_for(size, align);
            let old_pages = core::arch::wasm32::memory_grow(0, pages);
            if old_pages == usize::MAX {
                return None;
            }
            let from = old_pages.checked_mul(PAGE)?;
            let to = old_pages.checked_add(pages)?.checked_mul(PAGE)?;
            cursor.grown(from, to).place(size, align)
        });
        match placed {
            Some((start, after)) => {
                self.cursor.set(after);
                start as *mut u8
            }
            None => core::ptr::null_mut(),
        }
    }
}

#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
impl Default for Heap {
    fn default() -> Heap {
        Heap::new()
    }
}

#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
unsafe impl core::alloc::GlobalAlloc for Heap {
    unsafe fn alloc(&self, layout: core::alloc::Layout) -> *mut u8 {
        self.place(layout.size(), layout.align())
    }

    /// Nothing: the memory is given back with the tab (see the module's documentation).
    unsafe fn dealloc(&self, _block: *mut u8, _layout: core::alloc::Layout) {}

    /// In place when the block is the last one placed (a text or a list growing while nothing
    /// else is allocated, the common case); otherwise a new block with the contents copied.
    unsafe fn realloc(&self, block: *mut u8, layout: core::alloc::Layout, new_size: usize) -> *mut u8 {
        if let Some(after) = self.cursor.get().resize_last(block as usize, layout.size(), new_size) {
            self.cursor.set(after);
            return block;
        }
        let new = self.place(new_size, layout.align());
        if !new.is_null() {
            // SAFETY: both blocks are at least this long, and the new one was never handed out,
            // so they do not overlap.
            unsafe { core::ptr::copy_nonoverlapping(block, new, layout.size().min(new_size)) };
        }
        new
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_placed_aligned_one_after_the_other() {
        let cursor = Cursor { next: 1000, end: 2000 };
        let (a, cursor) = cursor.place(10, 8).unwrap();
        assert_eq!((a, cursor.next), (1000, 1010));
        let (b, cursor) = cursor.place(4, 16).unwrap();
        assert_eq!((b, cursor.next), (1024, 1028));
        let (c, cursor) = cursor.place(0, 1).unwrap();
        assert_eq!((c, cursor.next), (1028, 1028));
        assert_eq!(cursor.end, 2000);
    }

    #[test]
    fn a_block_that_does_not_fit_or_overflows_is_not_placed() {
        let cursor = Cursor { next: 1000, end: 2000 };
        assert_eq!(cursor.place(1000, 1).map(|(a, _)| a), Some(1000), "up to the end exactly");
        assert_eq!(cursor.place(1001, 1), None);
        assert_eq!(cursor.place(8, 4096), None, "aligned past the end");
        assert_eq!(Cursor { next: usize::MAX - 3, end: usize::MAX }.place(1, 8), None);
        assert_eq!(Cursor { next: 8, end: usize::MAX }.place(usize::MAX, 1), None);
        assert_eq!(Cursor::EMPTY.place(1, 1), None, "no memory of its own yet");
    }

    #[test]
    fn only_the_last_block_is_resized_in_place() {
        let (first, cursor) = Cursor { next: 0, end: 100 }.place(10, 1).unwrap();
        let (last, cursor) = cursor.place(10, 1).unwrap();
        assert_eq!(cursor.resize_last(first, 10, 20), None, "another block follows it");
        assert_eq!(cursor.resize_last(last, 10, 30), Some(Cursor { next: 40, end: 100 }));
        assert_eq!(cursor.resize_last(last, 10, 4), Some(Cursor { next: 14, end: 100 }), "shrunk");
        assert_eq!(cursor.resize_last(last, 10, 91), None, "no room");
        assert_eq!(cursor.resize_last(usize::MAX, 10, 1), None);
    }

    #[test]
    fn placing_goes_on_in_memory_that_follows_and_starts_over_in_memory_that_does_not() {
        let cursor = Cursor { next: 1500, end: 2000 };
        assert_eq!(cursor.grown(2000, 3000), Cursor { next: 1500, end: 3000 });
        assert_eq!(cursor.grown(4000, 5000), Cursor { next: 4000, end: 5000 });
        assert_eq!(Cursor::EMPTY.grown(PAGE * 20, PAGE * 36), Cursor { next: PAGE * 20, end: PAGE * 36 });
        // What the growth is sized for always fits, however the new memory starts.
        for (size, align) in [(1, 1), (PAGE, 8), (PAGE * 40 + 3, 4096), (0, 65_536)] {
            let pages = pages_for(size, align);
            assert!(pages >= GROWTH_PAGES);
            for from in [PAGE * 17, PAGE * 17 + 8] {
                let grown = Cursor { next: 1, end: 2 }.grown(from, from + pages * PAGE);
                assert!(grown.place(size, align).is_some(), "{size} {align} {from}");
            }
        }
    }
}
