//! "Probably about": why the caller is most likely calling, from what the card already read.
//!
//! A small table of rules, most pressing first; the card shows the first two that apply and
//! nothing when none does (nothing is guessed):
//!
//! | rule | applies when | says |
//! |---|---|---|
//! | missed call | their last call with us was theirs and nobody answered | they called on … and nobody answered |
//! | overdue | an open activity (not a call to return) is past its deadline; the oldest | overdue since …: subject |
//! | waiting deal | an open deal has been at its stage for a week or more (`MOVED_TIME`); the longest | title — stage, n days at this stage |
//! | last talk | the last answered call, when no rule above applies to calls | last spoke on …, direction, length |
//!
//! Each line names the record it is about, so the agent can open it.

use super::card::{ActivityKind, ActivityLine, CallLine, ClientCard, DealLine, Section};
use super::entity::{EntityKind, EntityRef};

/// At most this many lines.
pub const SHOWN: usize = 2;

/// A deal counts as waiting from this many days at one stage.
pub const WAITING_DAYS: i64 = 7;

const DAY: i64 = 86_400;

/// One reason they are probably calling.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reason {
    /// Their last call was missed.
    MissedCall { at: i64 },
    /// An activity is past its deadline.
    Overdue { since: i64, subject: String },
    /// A deal has waited at its stage.
    DealWaiting { deal: u64, title: String, stage: String, days: i64 },
    /// The last conversation.
    LastTalk { at: i64, incoming: bool, seconds: i64 },
}

impl Reason {
    /// The record the line opens: the deal, else the client.
    pub fn record(&self, client: EntityRef) -> EntityRef {
        match self {
            Reason::DealWaiting { deal, .. } => EntityRef { kind: EntityKind::Deal, id: *deal },
            _ => client,
        }
    }
}

/// The reasons that apply to `card` at `now`, most pressing first; empty until the card's
/// sections are in (a placeholder tells nothing).
pub fn probably_about(card: &ClientCard, now: i64) -> Vec<Reason> {
    let mut reasons = Vec::new();
    let calls: &[CallLine] = match &card.calls {
        Section::Ready(calls) => calls,
        _ => &[],
    };
    let last_call = calls.first();
    if let Some(call) = last_call.filter(|c| c.missed()) {
        reasons.push(Reason::MissedCall { at: call.at });
    }
    if let Section::Ready(activities) = &card.activities {
        // A missed call is an open call activity too: it is said above, not again here.
        // The longest overdue: the earliest deadline (the first of equal ones).
        let mut overdue: Option<(i64, &ActivityLine)> = None;
        for a in activities {
            let Some(due) = a.due.filter(|_| a.overdue && a.kind != ActivityKind::Call) else { continue };
            if overdue.is_none_or(|(earliest, _)| due < earliest) {
                overdue = Some((due, a));
            }
        }
        if let Some((since, a)) = overdue {
            reasons.push(Reason::Overdue { since, subject: a.subject.clone() });
        }
    }
    if let Some(Section::Ready(deals)) = &card.deals {
        // The longest waiting; of equal waits, the oldest deal (the smallest id).
        let mut waiting: Option<(&DealLine, i64)> = None;
        for d in &deals.open {
            let Some(days) = d.moved.map(|moved| (now - moved) / DAY).filter(|days| *days >= WAITING_DAYS) else { continue };
            if waiting.is_none_or(|(w, w_days)| (days, std::cmp::Reverse(d.id)) >= (w_days, std::cmp::Reverse(w.id))) {
                waiting = Some((d, days));
            }
        }
        if let Some((deal, days)) = waiting {
            reasons.push(Reason::DealWaiting { deal: deal.id, title: deal.title.clone(), stage: deal.stage.name.clone(), days });
        }
    }
    if !matches!(reasons.first(), Some(Reason::MissedCall { .. })) {
        if let Some(call) = calls.iter().find(|c| c.answered()) {
            reasons.push(Reason::LastTalk { at: call.at, incoming: call.incoming, seconds: call.seconds });
        }
    }
    reasons.truncate(SHOWN);
    reasons
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crm::card::{ActivityLine, DealLine, Deals, Stage};

    const NOW: i64 = 1_795_564_800; // 2026-11-25

    fn card() -> ClientCard {
        ClientCard {
            entity: EntityRef { kind: EntityKind::Contact, id: 1 },
            name: "Anna".into(),
            post: None,
            company: None,
            status: None,
            phones: Vec::new(),
            emails: Vec::new(),
            photo: None,
            responsible: Section::Ready(None),
            deals: Some(Section::Ready(Deals::default())),
            activities: Section::Ready(Vec::new()),
            calls: Section::Ready(Vec::new()),
            comments: Section::Ready(Vec::new()),
            people: None,
            agent: None,
        }
    }

    fn activity(id: u64, kind: ActivityKind, due: i64, subject: &str) -> ActivityLine {
        ActivityLine { id, kind, incoming: None, subject: subject.into(), due: Some(due), ended: None, minutes: None, open: true, overdue: due < NOW }
    }

    fn deal(id: u64, title: &str, moved: Option<i64>) -> DealLine {
        DealLine { id, title: title.into(), stage: Stage { name: "Preparing documents".into(), color: None }, amount: None, currency: String::new(), bound: false, moved }
    }

    #[test]
    fn nothing_applies_nothing_is_said() {
        assert_eq!(probably_about(&card(), NOW), []);
        // A deal moved two days ago and an activity due tomorrow are not pressing.
        let mut c = card();
        c.deals = Some(Section::Ready(Deals { open: vec![deal(4, "Fresh", Some(NOW - 2 * DAY))], won: 0, lost: 0 }));
        c.activities = Section::Ready(vec![activity(1, ActivityKind::Task, NOW + DAY, "Tomorrow")]);
        assert_eq!(probably_about(&c, NOW), []);
        // Sections still loading say nothing either.
        c.deals = Some(Section::Loading);
        c.activities = Section::Loading;
        c.calls = Section::Loading;
        assert_eq!(probably_about(&c, NOW), []);
    }

    #[test]
    fn the_most_pressing_two_first() {
        let mut c = card();
        c.calls = Section::Ready(vec![
            CallLine { id: 9, incoming: true, at: NOW - 7200, seconds: 0 },
            CallLine { id: 8, incoming: false, at: NOW - 5 * DAY, seconds: 300 },
        ]);
        c.activities = Section::Ready(vec![
            activity(2, ActivityKind::Email, NOW - 20 * DAY, "Contract draft"),
            activity(3, ActivityKind::Task, NOW - 3 * DAY, "Later one"),
            activity(9, ActivityKind::Call, NOW - 7200, "The missed call itself"),
        ]);
        c.deals = Some(Section::Ready(Deals { open: vec![deal(5, "Warehouse expansion", Some(NOW - 12 * DAY - 60))], won: 0, lost: 0 }));
        assert_eq!(
            probably_about(&c, NOW),
            [Reason::MissedCall { at: NOW - 7200 }, Reason::Overdue { since: NOW - 20 * DAY, subject: "Contract draft".into() }]
        );
        // Without the missed call and the overdue activity: the waiting deal, then the last talk.
        c.calls = Section::Ready(vec![CallLine { id: 8, incoming: false, at: NOW - 5 * DAY, seconds: 300 }]);
        c.activities = Section::Ready(Vec::new());
        let said = probably_about(&c, NOW);
        assert_eq!(
            said,
            [
                Reason::DealWaiting { deal: 5, title: "Warehouse expansion".into(), stage: "Preparing documents".into(), days: 12 },
                Reason::LastTalk { at: NOW - 5 * DAY, incoming: false, seconds: 300 }
            ]
        );
        assert_eq!(said[0].record(c.entity), EntityRef { kind: EntityKind::Deal, id: 5 });
        assert_eq!(said[1].record(c.entity), c.entity);
    }
}
