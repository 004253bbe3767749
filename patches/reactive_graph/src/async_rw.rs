//! (Patched) A reader-writer lock whose waiting is a future: what this crate asks of
//! `async_lock`'s `RwLock`, the whole of its use here, in place of that crate and of
//! `event_listener`, whose code was in the call card's module. Readers share the lock, a writer
//! has it alone; a future that cannot take it yet waits until a guard is dropped.

use std::cell::UnsafeCell;
use std::future::{poll_fn, Future};
use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicIsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Waker};

/// A value behind the lock.
pub struct RwLock<T> {
    /// How many readers have it, or -1 while a writer does.
    state: AtomicIsize,
    /// The tasks to wake when it is released.
    waiting: Mutex<Vec<Waker>>,
    value: UnsafeCell<T>,
}

// The lock hands out `&T` to readers on any thread and `&mut T` to one writer at a time, as
// `std::sync::RwLock` does.
unsafe impl<T: Send> Send for RwLock<T> {}
unsafe impl<T: Send + Sync> Sync for RwLock<T> {}

impl<T> RwLock<T> {
    /// A lock around `value`, free.
    pub const fn new(value: T) -> Self {
        Self {
            state: AtomicIsize::new(0),
            waiting: Mutex::new(Vec::new()),
            value: UnsafeCell::new(value),
        }
    }

    fn try_read(&self) -> bool {
        let mut now = self.state.load(Ordering::Acquire);
        while now >= 0 {
            match self.state.compare_exchange_weak(
                now,
                now + 1,
                Ordering::Acquire,
                Ordering::Acquire,
            ) {
                Ok(_) => return true,
                Err(seen) => now = seen,
            }
        }
        false
    }

    fn try_write(&self) -> bool {
        self.state
            .compare_exchange(0, -1, Ordering::Acquire, Ordering::Acquire)
            .is_ok()
    }

    fn release_read(&self) {
        if self.state.fetch_sub(1, Ordering::Release) == 1 {
            self.wake();
        }
    }

    fn release_write(&self) {
        self.state.store(0, Ordering::Release);
        self.wake();
    }

    fn wake(&self) {
        let waiting = std::mem::take(
            &mut *self.waiting.lock().unwrap_or_else(PoisonError::into_inner),
        );
        for waker in waiting {
            waker.wake();
        }
    }

    /// Takes the lock by `take` when it can; else the task waits to be woken by a release.
    fn poll_take(&self, cx: &mut Context<'_>, take: fn(&Self) -> bool) -> Poll<()> {
        if take(self) {
            return Poll::Ready(());
        }
        self.waiting
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(cx.waker().clone());
        // A release between the first try and the waker's registration woke no one.
        if take(self) {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }

    /// Shares the lock once no writer has it.
    pub fn read(&self) -> impl Future<Output = RwLockReadGuard<'_, T>> {
        poll_fn(move |cx| {
            self.poll_take(cx, Self::try_read).map(|()| RwLockReadGuard(self))
        })
    }

    /// Has the lock alone once no one else has it.
    pub fn write(&self) -> impl Future<Output = RwLockWriteGuard<'_, T>> {
        poll_fn(move |cx| {
            self.poll_take(cx, Self::try_write)
                .map(|()| RwLockWriteGuard(self))
        })
    }

    /// [`RwLock::read`], the guard holding the lock's `Arc`.
    pub fn read_arc(
        self: &Arc<Self>,
    ) -> impl Future<Output = RwLockReadGuardArc<T>> {
        let lock = Arc::clone(self);
        poll_fn(move |cx| {
            lock.poll_take(cx, Self::try_read)
                .map(|()| RwLockReadGuardArc(Arc::clone(&lock)))
        })
    }

    /// [`RwLock::write`], the guard holding the lock's `Arc`.
    pub fn write_arc(
        self: &Arc<Self>,
    ) -> impl Future<Output = RwLockWriteGuardArc<T>> {
        let lock = Arc::clone(self);
        poll_fn(move |cx| {
            lock.poll_take(cx, Self::try_write)
                .map(|()| RwLockWriteGuardArc(Arc::clone(&lock)))
        })
    }
}

/// A reader's share of the lock.
pub struct RwLockReadGuard<'a, T>(&'a RwLock<T>);

/// A writer's hold of the lock.
pub struct RwLockWriteGuard<'a, T>(&'a RwLock<T>);

/// A reader's share of the lock, holding its `Arc`.
pub struct RwLockReadGuardArc<T>(Arc<RwLock<T>>);

/// A writer's hold of the lock, holding its `Arc`.
pub struct RwLockWriteGuardArc<T>(Arc<RwLock<T>>);

impl<T> Deref for RwLockReadGuard<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        // A reader's share: no writer until it is dropped.
        unsafe { &*self.0.value.get() }
    }
}

impl<T> Drop for RwLockReadGuard<'_, T> {
    fn drop(&mut self) {
        self.0.release_read();
    }
}

impl<T> Deref for RwLockWriteGuard<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        // The writer's hold: no one else until it is dropped.
        unsafe { &*self.0.value.get() }
    }
}

impl<T> DerefMut for RwLockWriteGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        unsafe { &mut *self.0.value.get() }
    }
}

impl<T> Drop for RwLockWriteGuard<'_, T> {
    fn drop(&mut self) {
        self.0.release_write();
    }
}

impl<T> Deref for RwLockReadGuardArc<T> {
    type Target = T;

    fn deref(&self) -> &T {
        unsafe { &*self.0.value.get() }
    }
}

impl<T> Drop for RwLockReadGuardArc<T> {
    fn drop(&mut self) {
        self.0.release_read();
    }
}

impl<T> Deref for RwLockWriteGuardArc<T> {
    type Target = T;

    fn deref(&self) -> &T {
        unsafe { &*self.0.value.get() }
    }
}

impl<T> DerefMut for RwLockWriteGuardArc<T> {
    fn deref_mut(&mut self) -> &mut T {
        unsafe { &mut *self.0.value.get() }
    }
}

impl<T> Drop for RwLockWriteGuardArc<T> {
    fn drop(&mut self) {
        self.0.release_write();
    }
}
