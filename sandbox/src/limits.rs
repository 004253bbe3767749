//! The portal's request limits: a leaky bucket per portal (burst, then a steady drain; over it,
//! 503 `QUERY_LIMIT_EXCEEDED`) and a per-method budget of execution time in a window (over it,
//! 429 `OPERATION_TIME_LIMIT`).

use std::collections::HashMap;
use std::time::{Duration, Instant};

/// Requests may come in a burst of `burst`, then at `drain_per_sec` a second.
#[derive(Clone, Debug)]
pub struct LeakyBucket {
    burst: f64,
    drain_per_sec: f64,
    level: f64,
    last: Instant,
    /// Fill up at the first request rather than at creation.
    fill_on_first_use: bool,
}

impl LeakyBucket {
    /// `full`: the bucket is at its limit when the first request comes, as on a portal that
    /// other agents just used up.
    pub fn new(burst: u32, drain_per_sec: f64, full: bool, now: Instant) -> LeakyBucket {
        let burst = f64::from(burst.max(1));
        LeakyBucket { burst, drain_per_sec: drain_per_sec.max(0.0), level: 0.0, last: now, fill_on_first_use: full }
    }

    /// Lets one request in, or refuses it when the bucket is full.
    pub fn admit(&mut self, now: Instant) -> bool {
        if std::mem::take(&mut self.fill_on_first_use) {
            self.level = self.burst;
            self.last = now;
        }
        let drained = now.saturating_duration_since(self.last).as_secs_f64() * self.drain_per_sec;
        self.level = (self.level - drained).max(0.0);
        self.last = now;
        if self.level + 1.0 > self.burst {
            return false;
        }
        self.level += 1.0;
        true
    }
}

/// Execution time each method may use in a window.
#[derive(Clone, Debug)]
pub struct TimeBudget {
    budget: Duration,
    window: Duration,
    used: HashMap<String, (Instant, Duration)>,
}

impl TimeBudget {
    pub fn new(budget: Duration, window: Duration) -> TimeBudget {
        TimeBudget { budget, window, used: HashMap::new() }
    }

    /// Whether `method` still has time left in its current window.
    pub fn allows(&mut self, method: &str, now: Instant) -> bool {
        match self.used.get(method) {
            Some((start, _)) if now.saturating_duration_since(*start) >= self.window => {
                self.used.remove(method);
                true
            }
            Some((_, spent)) => *spent < self.budget,
            None => true,
        }
    }

    /// Counts `spent` against `method`.
    /// What `method` has used of its budget, in seconds, and the seconds until that renews.
    pub fn report(&self, method: &str, now: Instant) -> (f64, f64) {
        match self.used.get(method) {
            Some((start, spent)) => {
                (spent.as_secs_f64(), (*start + self.window).saturating_duration_since(now).as_secs_f64())
            }
            None => (0.0, self.window.as_secs_f64()),
        }
    }

    pub fn charge(&mut self, method: &str, spent: Duration, now: Instant) {
        let entry = self.used.entry(method.to_string()).or_insert((now, Duration::ZERO));
        entry.1 += spent;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bucket_admits_a_burst_then_drains() {
        let t0 = Instant::now();
        let mut b = LeakyBucket::new(3, 2.0, false, t0);
        assert!(b.admit(t0) && b.admit(t0) && b.admit(t0));
        assert!(!b.admit(t0), "the fourth in the same instant is over the burst");
        assert!(b.admit(t0 + Duration::from_millis(500)), "one drains in half a second at 2/s");
        assert!(!b.admit(t0 + Duration::from_millis(500)));
        let mut full = LeakyBucket::new(5, 2.0, true, t0);
        // However late the first request comes, the bucket is full for it.
        assert!(!full.admit(t0 + Duration::from_secs(10)));
        assert!(full.admit(t0 + Duration::from_millis(10_600)));
    }

    #[test]
    fn the_budget_is_per_method_and_per_window() {
        let t0 = Instant::now();
        let mut b = TimeBudget::new(Duration::from_secs(1), Duration::from_secs(600));
        b.charge("crm.contact.list", Duration::from_millis(1200), t0);
        assert!(!b.allows("crm.contact.list", t0));
        assert!(b.allows("crm.deal.list", t0));
        assert!(b.allows("crm.contact.list", t0 + Duration::from_secs(601)));
    }
}
