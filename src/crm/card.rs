//! Reading a card's `batch` reply into what the agent sees.
//!
//! Replies are untrusted and shaped the portal's way: ids as strings, `[]` for "nothing", keys
//! missing. An answer is only believed when it belongs to the record it was asked for: a record
//! must be among the ids the search found, a company must be the contact's, a deal the client's.
//! Sections fail on their own: a failed command leaves the rest of the card standing.

use std::sync::Arc;

use crate::json::Value;

use super::entity::{EntityKind, EntityRef};
use super::{phone, sort};
use super::plan::{
    deal_owner_field, keys, owner_type_id, Lookup, SHOWN_COMMENTS, SHOWN_DONE_ACTIVITIES, SHOWN_OPEN_ACTIVITIES, SUMMARISED,
};
use crate::portal::{full_name, id, text, PERSON_NAME, USER_NAME};
use crate::rest::batch::{BatchReply, Outcome};
use crate::rest::envelope::{ApiError, RestError};
use crate::text::Fill;

/// A phone number or e-mail address of the client, with its type as the portal labels it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Channel {
    pub value: String,
    /// `WORK`, `MOBILE`, `HOME`…; empty when the portal gave none.
    pub kind: String,
    /// This is the number the call came from.
    pub matched: bool,
}

/// The company a contact works for (or a lead names).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompanyLink {
    /// `None` for a lead's free-text company.
    pub entity: Option<EntityRef>,
    pub title: String,
}

/// A portal user: the client's responsible person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Person {
    pub id: u64,
    pub name: String,
    pub position: Option<String>,
    /// An http(s) picture address, when the portal has one.
    pub photo: Option<String>,
}

/// A file field's address for the app (`{id, showUrl, downloadUrl}`, the docs' file fields):
/// `downloadUrl`, which carries the request's access token (`show_file.php?auth=…`) and so works
/// without the user's portal session, which a frame of another site may not have. Only a path on
/// the portal itself is taken: the reply must not send the card's browser anywhere else.
fn portal_file(field: &Value) -> Option<String> {
    let url = field.get("downloadUrl")?.as_str()?;
    let on_portal = url.starts_with('/') && !url.starts_with("//");
    let plain = url.bytes().all(|b| b.is_ascii_graphic() && b != b'\\');
    (on_portal && plain).then(|| url.to_string())
}

/// A deal stage or lead status: its name and colour (`#RRGGBB`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stage {
    pub name: String,
    pub color: Option<String>,
}

impl Stage {
    /// The text colour that reads best on the stage's own colour: black or white, whichever has
    /// the higher WCAG contrast with it. `None` without a colour (the chip keeps the theme's).
    pub fn text_color(&self) -> Option<&'static str> {
        let rgb = self.color.as_deref().and_then(hex_rgb)?;
        let l = relative_luminance(rgb);
        // Contrast with black is (l + 0.05) / 0.05, with white 1.05 / (l + 0.05).
        Some(if (l + 0.05) * (l + 0.05) >= 0.05 * 1.05 { "#000000" } else { "#ffffff" })
    }
}

impl Stage {
    /// The stage chip's inline style: the stage's colour as its background and border, its text
    /// black or white ([`Stage::text_color`]); empty without a colour (the chip keeps the
    /// theme's). The colour was checked to be `#RRGGBB` when it was read, so nothing else can
    /// enter the style.
    pub fn chip_style(&self) -> String {
        match (&self.color, self.text_color()) {
            (Some(color), Some(ink)) => ["color:", ink, ";border-color:", color, ";background-color:", color].concat(),
            _ => String::new(),
        }
    }
}

/// `#RRGGBB` → its channels.
fn hex_rgb(c: &str) -> Option<[u8; 3]> {
    if !is_hex_color(c) {
        return None;
    }
    let channel = |i: usize| u8::from_str_radix(c.get(i..i + 2)?, 16).ok();
    Some([channel(1)?, channel(3)?, channel(5)?])
}

/// WCAG 2 relative luminance of an sRGB colour.
fn relative_luminance([r, g, b]: [u8; 3]) -> f64 {
    let linear = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.039_28 { c / 12.92 } else { crate::host::pow((c + 0.055) / 1.055, 2.4) }
    };
    0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DealLine {
    pub id: u64,
    pub title: String,
    pub stage: Stage,
    /// Amount as the portal wrote it (`"48000.00"`) and its currency code.
    pub amount: Option<String>,
    pub currency: String,
    /// The deal this call is bound to.
    pub bound: bool,
    /// When it came to its stage (unix seconds), when the portal says.
    pub moved: Option<i64>,
}

/// The client's deals: the open ones, and how many were won and lost.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Deals {
    pub open: Vec<DealLine>,
    pub won: usize,
    pub lost: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActivityKind {
    Meeting,
    Call,
    Task,
    Email,
    Other,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActivityLine {
    pub id: u64,
    pub kind: ActivityKind,
    /// `Some(true)` incoming, `Some(false)` outgoing, `None` when it has no direction.
    pub incoming: Option<bool>,
    pub subject: String,
    /// When it is due (unix seconds), for an open activity.
    pub due: Option<i64>,
    /// When it ended (unix seconds), for a completed one: its end, else its deadline.
    pub ended: Option<i64>,
    /// A completed call's length in whole minutes (at least 1), when its times say.
    pub minutes: Option<i64>,
    pub open: bool,
    /// Open and past its deadline.
    pub overdue: bool,
}

/// One call with the client, from the call activities the portal records for each call
/// (voximplant's `CVoxImplantCrmHelper::AddCall`): `START_TIME` is the call's start and
/// `END_TIME` its start plus its length, so a call nobody answered lasted nothing. A missed
/// incoming call also stays open (to be called back).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CallLine {
    pub id: u64,
    pub incoming: bool,
    /// When it started (unix seconds).
    pub at: i64,
    /// How long they spoke, in seconds; 0 when nobody answered.
    pub seconds: i64,
}

impl CallLine {
    pub fn answered(&self) -> bool {
        self.seconds > 0
    }

    /// They called and nobody answered.
    pub fn missed(&self) -> bool {
        self.incoming && !self.answered()
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommentLine {
    pub id: u64,
    pub text: String,
    /// ISO time as the portal wrote it.
    pub date: String,
    /// Who wrote it, when the portal told.
    pub author: Option<String>,
}

/// A part of the card that loads on its own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Section<T> {
    Ready(T),
    /// Its request is still on the way (the card's context part).
    Loading,
    /// Its command failed (the portal's error), or the whole request that carried it.
    Failed(RestError),
}

/// Where the card's context part (deals, activities, comments, people) stands when a reply is
/// read.
#[derive(Clone, Copy, Debug)]
pub enum Context<'a> {
    /// In the reply being read (one batch for everything).
    Here,
    /// In a reply of its own, read after the one being read: a key both answered (the search,
    /// which each part repeats) keeps the first reply's answer.
    Apart(&'a BatchReply),
    /// Still on its way: its sections are placeholders.
    Pending,
    /// Its request failed: each of its sections says so.
    Failed(&'a RestError),
}


/// The client as the card shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientCard {
    pub entity: EntityRef,
    pub name: String,
    pub post: Option<String>,
    pub company: Option<CompanyLink>,
    /// A lead's status.
    pub status: Option<Stage>,
    pub phones: Vec<Channel>,
    pub emails: Vec<Channel>,
    /// The portal path of a contact's photo or a company's logo, with the app's access in it
    /// (`portal_file`); `None` when there is none.
    pub photo: Option<String>,
    pub responsible: Section<Option<Person>>,
    /// `None` for leads, which have no deals.
    pub deals: Option<Section<Deals>>,
    pub activities: Section<Vec<ActivityLine>>,
    /// The last calls with the client, newest first.
    pub calls: Section<Vec<CallLine>>,
    pub comments: Section<Vec<CommentLine>>,
    /// A company's people; `None` for contacts and leads.
    pub people: Option<Section<People>>,
    /// The agent's user id (`user.current`, with the context), for what they schedule.
    pub agent: Option<u64>,
}

/// One of a company's people, as the card lists them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonLine {
    pub id: u64,
    pub name: String,
    pub post: Option<String>,
    /// Their first phone number, as stored.
    pub phone: Option<String>,
}

/// A company's people: the most recently active few, and how many there are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct People {
    pub shown: Vec<PersonLine>,
    pub total: usize,
}

/// How many of a company's people the card lists.
pub const SHOWN_PEOPLE: usize = 5;

/// Calls in the call history.
pub const SHOWN_CALLS: usize = 5;

/// A call activity (`TYPE_ID` 2) with a direction and a start, as a call.
fn call_line(a: &Value) -> Option<CallLine> {
    if id(a.get("TYPE_ID")) != Some(2) {
        return None;
    }
    let incoming = match id(a.get("DIRECTION")) {
        Some(1) => true,
        Some(2) => false,
        _ => return None,
    };
    let at = field(a, "START_TIME").and_then(|t| unix_time(&t))?;
    let end = field(a, "END_TIME").and_then(|t| unix_time(&t)).unwrap_or(at);
    Some(CallLine { id: id(a.get("ID"))?, incoming, at, seconds: (end - at).max(0) })
}

/// One of several records with the caller's number, as the chooser lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub entity: EntityRef,
    pub name: String,
    pub company: Option<String>,
    pub responsible: Option<String>,
    /// The record's stored numbers that matched the call.
    pub matched_numbers: Vec<String>,
    /// `None` until the card's context part arrived (or when it failed).
    pub open_deals: Option<usize>,
    /// ISO date of the latest activity.
    pub last_activity: Option<String>,
}

/// Records the agent chooses among, shared rather than copied: the screen, the choice asked
/// for and the way back to it hold the same list (README, "Bundle budget").
pub type Candidates = Arc<Vec<Candidate>>;

/// Who is calling, as far as the CRM knows. A known client's card is shared, not copied: the
/// views read it where it is (README, "Bundle budget").
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Caller {
    Known(Arc<ClientCard>),
    /// Several records share the number: the agent picks, most relevant first.
    Several(Candidates),
    /// The number is in no record.
    Unknown,
    /// The call has neither a number nor a record.
    NoNumber,
}

/// Why the card could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CardError {
    /// The portal refused a command the card depends on.
    Command { key: String, error: ApiError },
    /// The reply did not have the shape of the portal's answer.
    Shape(Shape),
}

/// What was missing from a reply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Shape {
    /// No answer for the number search.
    NoSearch,
    /// No answer for the batch command of this key.
    NoAnswer(String),
    /// An add method answered no id.
    NoNewId,
    /// A deal was asked for a record that cannot have deals.
    NoDealForKind,
}

impl Shape {
    pub fn describe(&self, t: &crate::i18n::Texts) -> String {
        match self {
            Shape::NoSearch => t.tech_no_search.to_string(),
            Shape::NoAnswer(key) => t.tech_no_answer.fill("{key}", key),
            Shape::NoNewId => t.tech_no_new_id.to_string(),
            Shape::NoDealForKind => t.tech_no_deal_for_kind.to_string(),
        }
    }
}

/// One record found for the call: its kind, its place in its list, its fields.
struct Found<'a> {
    entity: EntityRef,
    index: usize,
    record: &'a Value,
}

/// Everything needed to read a reply.
struct Reader<'a> {
    lookup: &'a Lookup,
    reply: &'a BatchReply,
    context: Context<'a>,
    /// Unix seconds now, to tell overdue activities.
    now: i64,
}

/// Reads the reply to `lookup.batch()`. `now` is the current Unix time in seconds.
pub fn read(lookup: &Lookup, reply: &BatchReply, now: i64) -> Result<Caller, CardError> {
    read_parts(lookup, reply, Context::Here, now)
}

/// Reads a reply that may lack the card's context part: the identity part alone (its sections
/// then load or say why they failed), or with the context part in its own reply (`Context::Apart`).
pub fn read_parts(lookup: &Lookup, reply: &BatchReply, context: Context, now: i64) -> Result<Caller, CardError> {
    if *lookup == Lookup::Nothing {
        return Ok(Caller::NoNumber);
    }
    let reader = Reader { lookup, reply, context, now };
    let found = reader.found()?;
    match found.len() {
        0 => Ok(Caller::Unknown),
        1 => Ok(Caller::Known(Arc::new(reader.card(&found[0])))),
        _ => {
            let mut candidates: Vec<Candidate> = found.iter().map(|f| reader.candidate(f)).collect();
            // Most relevant first: open deals, then the latest activity; else the search's order
            // (until the context part arrives, the search's order).
            sort::by(&mut candidates, |a, b| {
                b.open_deals.cmp(&a.open_deals).then_with(|| b.last_activity.cmp(&a.last_activity))
            });
            Ok(Caller::Several(Arc::new(candidates)))
        }
    }
}

/// The list in a command's result (a list method answers an array; anything else is empty).
fn rows(value: &Value) -> &[Value] {
    value.as_array().map(Vec::as_slice).unwrap_or_default()
}

/// The row of `rows` whose `ID` is `wanted`.
fn with_id(rows: &[Value], wanted: u64) -> Option<&Value> {
    rows.iter().find(|row| id(row.get("ID")) == Some(wanted))
}

/// Whether an activity is `owner`'s (an answer about another record is not believed).
fn owned_by(activity: &Value, owner: EntityRef) -> bool {
    id(activity.get("OWNER_ID")) == Some(owner.id) && id(activity.get("OWNER_TYPE_ID")) == Some(owner_type_id(owner.kind))
}

fn field(record: &Value, name: &str) -> Option<String> {
    text(record.get(name))
}

impl<'a> Reader<'a> {
    fn outcome(&self, key: &str) -> Outcome<'a> {
        match (self.reply.outcome(key), self.context) {
            (Outcome::Missing, Context::Apart(context)) => context.outcome(key),
            (outcome, _) => outcome,
        }
    }

    /// How many rows a list command found in all.
    fn total(&self, key: &str) -> Option<u64> {
        match self.context {
            Context::Apart(context) => self.reply.total(key).or_else(|| context.total(key)),
            _ => self.reply.total(key),
        }
    }

    /// The rows a list command answered: its error if it failed, none if it did not run.
    fn section_rows(&self, key: &str) -> Result<&'a [Value], RestError> {
        match self.outcome(key) {
            Outcome::Ok(list) => Ok(rows(list)),
            Outcome::Failed(e) => Err(in_batch(e)),
            Outcome::Missing => Ok(&[]),
        }
    }

    /// A section of the context part: a placeholder while it loads, its request's failure, or
    /// what `read` makes of the reply.
    fn context_section<T>(&self, read: impl FnOnce() -> Section<T>) -> Section<T> {
        match self.context {
            Context::Here | Context::Apart(_) => read(),
            Context::Pending => Section::Loading,
            Context::Failed(e) => Section::Failed(e.clone()),
        }
    }

    /// The ids each kind should have: the search's, or the bound record's.
    fn expected_ids(&self, kind: EntityKind) -> Result<Vec<u64>, CardError> {
        match self.lookup {
            Lookup::Bound { entity, .. } => Ok(if entity.kind == kind { vec![entity.id] } else { Vec::new() }),
            _ => match self.outcome(keys::MATCH) {
                Outcome::Ok(found) => Ok(kind.found_ids(found)),
                Outcome::Failed(error) => Err(CardError::Command { key: keys::MATCH.into(), error: error.clone() }),
                Outcome::Missing => Err(CardError::Shape(Shape::NoSearch)),
            },
        }
    }

    /// The records the call matched, contacts first, each kind in the search's order.
    fn found(&self) -> Result<Vec<Found<'a>>, CardError> {
        let mut found = Vec::new();
        for kind in self.lookup.kinds() {
            let expected = self.expected_ids(kind)?;
            if expected.is_empty() {
                continue;
            }
            let key = keys::records(kind);
            let list = match self.outcome(key) {
                Outcome::Ok(v) => rows(v),
                Outcome::Failed(error) => return Err(CardError::Command { key: key.into(), error: error.clone() }),
                Outcome::Missing => return Err(CardError::Shape(Shape::NoAnswer(key.to_string()))),
            };
            // The plan's per-record lookups go by position in this list, so keep it.
            let mut of_kind: Vec<Found> = Vec::new();
            for (index, record) in list.iter().enumerate() {
                if let Some(rid) = id(record.get("ID")).filter(|rid| expected.contains(rid)) {
                    of_kind.push(Found { entity: EntityRef { kind, id: rid }, index, record });
                }
            }
            sort::by_key(&mut of_kind, |f| expected.iter().position(|e| *e == f.entity.id));
            found.extend(of_kind);
        }
        Ok(found)
    }

    fn name(&self, f: &Found) -> String {
        let r = f.record;
        let person = full_name(r, &PERSON_NAME);
        match f.entity.kind {
            EntityKind::Company => field(r, "TITLE").unwrap_or_default(),
            EntityKind::Lead if person.is_empty() => field(r, "TITLE").unwrap_or_default(),
            _ => person,
        }
    }

    /// A contact's company (looked up for the first few contacts) or a lead's company name.
    fn company(&self, f: &Found) -> Option<CompanyLink> {
        match f.entity.kind {
            EntityKind::Contact => {
                let company_id = id(f.record.get("COMPANY_ID"))?;
                let title = match (f.index < SUMMARISED).then(|| self.section_rows(keys::CONTACT_COMPANIES)) {
                    Some(Ok(companies)) => {
                        with_id(companies, company_id).and_then(|c| field(c, "TITLE"))
                    }
                    _ => None,
                };
                Some(CompanyLink {
                    entity: Some(EntityRef { kind: EntityKind::Company, id: company_id }),
                    title: title.unwrap_or_default(),
                })
            }
            EntityKind::Lead => field(f.record, "COMPANY_TITLE").map(|title| CompanyLink { entity: None, title }),
            _ => None,
        }
    }

    /// The company's people, from the contacts listed by company (the list is ordered by last
    /// activity). The count is the list's total when the list is this company's alone.
    fn people(&self, f: &Found) -> Section<People> {
        let rows = match self.section_rows(keys::COMPANY_CONTACTS) {
            Ok(rows) => rows,
            Err(e) => return Section::Failed(e),
        };
        let mut theirs: Vec<&Value> = Vec::new();
        for c in rows {
            if id(c.get("COMPANY_ID")) == Some(f.entity.id) {
                theirs.push(c);
            }
        }
        let total = if theirs.len() == rows.len() {
            self.total(keys::COMPANY_CONTACTS).map_or(theirs.len(), |t| usize::try_from(t).unwrap_or(usize::MAX)).max(theirs.len())
        } else {
            theirs.len()
        };
        let mut shown = Vec::new();
        for c in theirs {
            let Some(person) = id(c.get("ID")) else { continue };
            if shown.len() == SHOWN_PEOPLE {
                break;
            }
            let phone = c.get("PHONE").and_then(Value::as_array).and_then(|l| l.iter().find_map(|p| text(p.get("VALUE"))));
            shown.push(PersonLine { id: person, name: full_name(c, &PERSON_NAME), post: field(c, "POST"), phone });
        }
        Section::Ready(People { shown, total })
    }

    /// The name of user `user_id` from a `user.get` command's answer; `None` when it failed or
    /// answered someone else (a comment's author is a detail: it never fails a section).
    fn user_name(&self, key: &str, user_id: u64) -> Option<String> {
        let users = self.section_rows(key).ok()?;
        let user = with_id(users, user_id)?;
        let name = full_name(user, &USER_NAME);
        (!name.is_empty()).then_some(name)
    }

    fn responsible(&self, f: &Found) -> Section<Option<Person>> {
        let Some(user_id) = id(f.record.get("ASSIGNED_BY_ID")) else { return Section::Ready(None) };
        if f.index >= SUMMARISED {
            return Section::Ready(None);
        }
        match self.section_rows(&keys::responsible(f.entity.kind, f.index)) {
            Ok(users) => Section::Ready(with_id(users, user_id).map(|u| Person {
                id: user_id,
                name: full_name(u, &USER_NAME),
                position: field(u, "WORK_POSITION"),
                photo: field(u, "PERSONAL_PHOTO").filter(|p| p.starts_with("https://") || p.starts_with("http://")),
            })),
            Err(e) => Section::Failed(e),
        }
    }

    /// Stage or status names and colours, by `(ENTITY_ID, STATUS_ID)`; empty if they failed
    /// (ids then stand in for names: not worth failing a section over).
    fn stage(&self, entity_id: &str, status_id: &str) -> Stage {
        let found = match self.outcome(keys::STAGES) {
            Outcome::Ok(list) => rows(list).iter().find(|s| {
                field(s, "ENTITY_ID").as_deref() == Some(entity_id) && field(s, "STATUS_ID").as_deref() == Some(status_id)
            }),
            _ => None,
        };
        Stage {
            name: found.and_then(|s| field(s, "NAME")).unwrap_or_else(|| status_id.to_string()),
            color: found
                .and_then(|s| field(s, "COLOR").or_else(|| s.get("EXTRA").and_then(|x| field(x, "COLOR"))))
                .filter(|c| is_hex_color(c)),
        }
    }

    fn deal_line(&self, deal: &Value, bound: bool) -> Option<DealLine> {
        let stage_id = field(deal, "STAGE_ID").unwrap_or_default();
        // Stages of other pipelines are listed under DEAL_STAGE_<category>.
        let category = id(deal.get("CATEGORY_ID")).map(|c| ["DEAL_STAGE_", &crate::text::decimal(c)].concat());
        Some(DealLine {
            id: id(deal.get("ID"))?,
            title: field(deal, "TITLE").unwrap_or_default(),
            stage: self.stage(category.as_deref().unwrap_or("DEAL_STAGE"), &stage_id),
            amount: field(deal, "OPPORTUNITY"),
            currency: field(deal, "CURRENCY_ID").unwrap_or_default(),
            bound,
            moved: field(deal, "MOVED_TIME").and_then(|t| unix_time(&t)),
        })
    }

    fn deals(&self, f: &Found) -> Option<Section<Deals>> {
        let owner = deal_owner_field(f.entity.kind)?;
        let belongs = |d: &Value| id(d.get(owner)) == Some(f.entity.id);
        let lists = self
            .section_rows(&keys::open_deals(f.entity.kind))
            .and_then(|open| Ok((open, self.section_rows(&keys::closed_deals(f.entity.kind))?)));
        let (open, closed) = match lists {
            Ok(lists) => lists,
            Err(e) => return Some(Section::Failed(e)),
        };
        let bound_id = self.lookup.deal();
        let mut lines: Vec<DealLine> = Vec::new();
        // The call's own deal first, whatever its stage.
        if let (Some(bid), Outcome::Ok(deal)) = (bound_id, self.outcome(keys::BOUND_DEAL)) {
            if id(deal.get("ID")) == Some(bid) {
                if let Some(line) = self.deal_line(deal, true) {
                    lines.push(line);
                }
            }
        }
        for deal in open {
            if belongs(deal) && id(deal.get("ID")) != bound_id {
                if let Some(line) = self.deal_line(deal, false) {
                    lines.push(line);
                }
            }
        }
        let (mut won, mut lost) = (0, 0);
        for deal in closed.iter().filter(|d| belongs(d)) {
            match field(deal, "STAGE_SEMANTIC_ID").as_deref() {
                Some("S") => won += 1,
                Some("F") => lost += 1,
                _ => {}
            }
        }
        Some(Section::Ready(Deals { open: lines, won, lost }))
    }

    /// A record's activities in one of the two lists, as lines, in the list's order.
    fn activity_lines(&self, f: &Found, key: &str) -> Result<Vec<ActivityLine>, RestError> {
        self.owned_activity_lines(f.entity, key)
    }

    /// The activities of list `key` that `owner` owns (an answer about another record is not
    /// believed).
    fn owned_activity_lines(&self, owner: EntityRef, key: &str) -> Result<Vec<ActivityLine>, RestError> {
        let mut lines = Vec::new();
        for activity in self.section_rows(key)? {
            if owned_by(activity, owner) {
                if let Some(line) = self.activity_line(activity) {
                    lines.push(line);
                }
            }
        }
        Ok(lines)
    }

    fn activity_line(&self, a: &Value) -> Option<ActivityLine> {
        let kind = match id(a.get("TYPE_ID")) {
            Some(1) => ActivityKind::Meeting,
            Some(2) => ActivityKind::Call,
            Some(3) => ActivityKind::Task,
            Some(4) => ActivityKind::Email,
            _ => ActivityKind::Other,
        };
        let open = field(a, "COMPLETED").as_deref() != Some("Y");
        let time = |name: &str| field(a, name).and_then(|t| unix_time(&t));
        let (start, end, deadline) = (time("START_TIME"), time("END_TIME"), time("DEADLINE"));
        let minutes = match (kind, open, start, end) {
            (ActivityKind::Call, false, Some(s), Some(e)) if e > s => Some(((e - s + 59) / 60).max(1)),
            _ => None,
        };
        Some(ActivityLine {
            id: id(a.get("ID"))?,
            kind,
            incoming: match id(a.get("DIRECTION")) {
                Some(1) => Some(true),
                Some(2) => Some(false),
                _ => None,
            },
            subject: field(a, "SUBJECT").unwrap_or_default(),
            due: if open { deadline } else { None },
            ended: if open { None } else { end.or(deadline) },
            minutes,
            open,
            overdue: open && deadline.is_some_and(|d| d < self.now),
        })
    }

    /// What is due, soonest first (overdue ones come first by their deadline; open ones with
    /// no deadline last), then what happened last, newest first. `call_deal`: the call's deal
    /// when the card shows it, whose due activities are the client's too (a follow-up the agent
    /// scheduled for it is owned by it).
    fn activities(&self, f: &Found, call_deal: Option<u64>) -> Section<Vec<ActivityLine>> {
        let lists = self
            .activity_lines(f, &keys::open_activities(f.entity.kind))
            .and_then(|open| Ok((open, self.activity_lines(f, &keys::done_activities(f.entity.kind))?)));
        let (mut open, mut done) = match lists {
            Ok(lists) => lists,
            Err(e) => return Section::Failed(e),
        };
        if let Some(deal) = call_deal {
            let owner = EntityRef { kind: EntityKind::Deal, id: deal };
            match self.owned_activity_lines(owner, keys::BOUND_DEAL_ACTIVITIES) {
                Ok(lines) => open.extend(lines),
                Err(e) => return Section::Failed(e),
            }
        }
        open.retain(|a| a.open);
        done.retain(|a| !a.open);
        sort::by_key(&mut open, |a| (a.due.is_none(), a.due));
        sort::by_key(&mut done, |a| std::cmp::Reverse(a.ended));
        open.truncate(SHOWN_OPEN_ACTIVITIES);
        done.truncate(SHOWN_DONE_ACTIVITIES);
        open.extend(done);
        Section::Ready(open)
    }

    /// The calls among both activity lists (a missed call is in the open one), newest first.
    fn calls(&self, f: &Found) -> Section<Vec<CallLine>> {
        let mut calls: Vec<CallLine> = Vec::new();
        for key in [keys::open_activities(f.entity.kind), keys::done_activities(f.entity.kind)] {
            let rows = match self.section_rows(&key) {
                Ok(rows) => rows,
                Err(e) => return Section::Failed(e),
            };
            for a in rows {
                // An open outgoing call has not happened yet: it is planned (a call nobody
                // answered is completed; only a missed incoming one stays open).
                let planned = field(a, "COMPLETED").as_deref() != Some("Y") && id(a.get("DIRECTION")) == Some(2);
                if owned_by(a, f.entity) && !planned {
                    calls.extend(call_line(a));
                }
            }
        }
        sort::by_key(&mut calls, |c| (std::cmp::Reverse(c.at), c.id));
        calls.dedup_by_key(|c| c.id);
        calls.truncate(SHOWN_CALLS);
        Section::Ready(calls)
    }

    fn comments(&self, f: &Found) -> Section<Vec<CommentLine>> {
        match self.section_rows(&keys::comments(f.entity.kind)) {
            Ok(list) => {
                let mut lines = Vec::new();
                for c in list {
                    let (Some(comment), Some(text)) = (id(c.get("ID")), field(c, "COMMENT")) else { continue };
                    if id(c.get("ENTITY_ID")) != Some(f.entity.id) {
                        continue;
                    }
                    if lines.len() == SHOWN_COMMENTS {
                        break;
                    }
                    // The plan looked up the author of each comment shown, by its place.
                    let author = id(c.get("AUTHOR_ID")).and_then(|a| self.user_name(&keys::comment_author(f.entity.kind, lines.len()), a));
                    lines.push(CommentLine { id: comment, text, date: field(c, "CREATED").unwrap_or_default(), author });
                }
                Section::Ready(lines)
            }
            Err(e) => Section::Failed(e),
        }
    }

    fn channels(&self, f: &Found, name: &str, variants: &[String]) -> Vec<Channel> {
        let Some(items) = f.record.get(name).and_then(Value::as_array) else { return Vec::new() };
        let mut channels = Vec::new();
        for item in items {
            let Some(value) = text(item.get("VALUE")) else { continue };
            let matched = !variants.is_empty() && phone::matches_any(&value, variants);
            channels.push(Channel { value, kind: text(item.get("VALUE_TYPE")).unwrap_or_default(), matched });
        }
        channels
    }

    fn card(&self, f: &Found) -> ClientCard {
        let deals = self.deals(f);
        let call_deal = self.lookup.deal().filter(|id| matches!(&deals, Some(Section::Ready(d)) if d.open.iter().any(|l| l.id == *id)));
        ClientCard {
            entity: f.entity,
            name: self.name(f),
            post: field(f.record, "POST"),
            company: self.company(f),
            status: (f.entity.kind == EntityKind::Lead)
                .then(|| field(f.record, "STATUS_ID"))
                .flatten()
                .map(|s| self.stage("STATUS", &s)),
            phones: self.channels(f, "PHONE", self.lookup.variants()),
            emails: self.channels(f, "EMAIL", &[]),
            photo: ["PHOTO", "LOGO"].into_iter().find_map(|name| portal_file(f.record.get(name)?)),
            responsible: self.responsible(f),
            deals: deals.map(|deals| self.context_section(|| deals)),
            activities: self.context_section(|| self.activities(f, call_deal)),
            calls: self.context_section(|| self.calls(f)),
            comments: self.context_section(|| self.comments(f)),
            people: (f.entity.kind == EntityKind::Company).then(|| self.context_section(|| self.people(f))),
            agent: match self.outcome(keys::AGENT) {
                Outcome::Ok(me) => id(me.get("ID")),
                _ => None,
            },
        }
    }

    fn candidate(&self, f: &Found) -> Candidate {
        let arrived = matches!(self.context, Context::Here | Context::Apart(_));
        let open_deals = match self.deals(f) {
            _ if !arrived => None,
            Some(Section::Ready(d)) => Some(d.open.iter().filter(|l| !l.bound).count()),
            // Leads have no deals.
            None => Some(0),
            Some(_) => None,
        };
        let mut matched_numbers = Vec::new();
        for phone in self.channels(f, "PHONE", self.lookup.variants()) {
            if phone.matched {
                matched_numbers.push(phone.value);
            }
        }
        // The latest of its activities' creation times (the later one of equal times).
        let mut last_activity: Option<(Option<i64>, String)> = None;
        for key in [keys::open_activities(f.entity.kind), keys::done_activities(f.entity.kind)].iter().filter(|_| arrived) {
            let Ok(rows) = self.section_rows(key) else { continue };
            for a in rows {
                let Some(created) = field(a, "CREATED").filter(|_| owned_by(a, f.entity)) else { continue };
                let at = unix_time(&created);
                if last_activity.as_ref().is_none_or(|(latest, _)| at >= *latest) {
                    last_activity = Some((at, created));
                }
            }
        }
        Candidate {
            entity: f.entity,
            name: self.name(f),
            company: self.company(f).map(|c| c.title).filter(|t| !t.is_empty()),
            responsible: match self.responsible(f) {
                Section::Ready(Some(p)) => Some(p.name),
                _ => None,
            },
            matched_numbers,
            open_deals,
            last_activity: last_activity.map(|(_, created)| created),
        }
    }
}

/// A failed command of a batch, as a failed request of its own would be.
fn in_batch(error: &ApiError) -> RestError {
    RestError::Api { status: 200, error: error.clone() }
}

fn is_hex_color(c: &str) -> bool {
    c.len() == 7 && c.starts_with('#') && c[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

/// Unix seconds of an ISO 8601 time as the portal writes it (`2026-11-03T10:15:00+03:00`,
/// `…Z`, fractions allowed); `None` if it is not one.
pub fn unix_time(iso: &str) -> Option<i64> {
    let b = iso.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> { crate::json::integer(iso.get(r)?) };
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' {
        return None;
    }
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hh, mm, ss) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&m) || d < 1 || d > i64::from(crate::i18n::days_in_month(y, m as u32)) || hh > 23 || mm > 59 || ss > 60 {
        return None;
    }
    let mut rest = &iso[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        rest = frac.get(frac.bytes().take_while(u8::is_ascii_digit).count()..).unwrap_or("");
    }
    let offset = match rest {
        "" | "Z" => 0,
        _ => {
            let sign = match rest.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let h = crate::json::integer(rest.get(1..3)?)?;
            let m = crate::json::integer(rest.get(4..6).or_else(|| rest.get(3..5))?)?;
            sign * (h * 3600 + m * 60)
        }
    };
    // Days from civil (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + hh * 3600 + mm * 60 + ss - offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_on_a_stage_colour_is_black_or_white_whichever_reads_better() {
        let on = |c: &str| Stage { name: "x".into(), color: Some(c.into()) }.text_color();
        // The portal's default stage colours are light: black text on all of them.
        for light in ["#39A8EF", "#2FC6F6", "#55D0E0", "#47E4C2", "#FFA900", "#7BD500", "#FF5752"] {
            assert_eq!(on(light), Some("#000000"), "{light}");
        }
        // A dark stage colour chosen by an administrator gets white text.
        assert_eq!(on("#1f2937"), Some("#ffffff"));
        assert_eq!(on("#0154c8"), Some("#ffffff"));
        assert_eq!(Stage { name: "x".into(), color: None }.text_color(), None);
    }

    #[test]
    fn a_stage_chip_is_styled_by_its_colour_or_not_at_all() {
        let chip = |c: Option<&str>| Stage { name: "x".into(), color: c.map(String::from) }.chip_style();
        assert_eq!(chip(Some("#1f2937")), "color:#ffffff;border-color:#1f2937;background-color:#1f2937");
        assert_eq!(chip(Some("#47E4C2")), "color:#000000;border-color:#47E4C2;background-color:#47E4C2");
        // No colour, or one that is not `#RRGGBB` (the reader drops those): the theme's chip.
        assert_eq!(chip(None), "");
        assert_eq!(chip(Some("red;background:url(x)")), "");
    }
    use crate::launch::CallCardOptions;
    use crate::json;

    fn by_phone(number: &str) -> Lookup {
        Lookup::for_call(&CallCardOptions { phone_number: Some(number.into()), ..Default::default() })
    }

    fn reply(v: Value) -> BatchReply {
        BatchReply::parse(&v).unwrap()
    }

    /// 2026-11-25T00:00:00Z
    const NOW: i64 = 1_795_564_800;

    #[test]
    fn iso_times() {
        assert_eq!(unix_time("1970-01-01T00:00:00+00:00"), Some(0));
        assert_eq!(unix_time("2026-11-25T00:00:00Z"), Some(NOW));
        assert_eq!(unix_time("2026-11-25T03:00:00+03:00"), Some(NOW));
        assert_eq!(unix_time("2026-11-25T00:00:00.123Z"), Some(NOW));
        assert_eq!(unix_time("25.11.2026"), None);
        assert_eq!(unix_time("2026-02-31T10:00:00Z"), None, "no such day");
        assert_eq!(unix_time("2028-02-29T10:00:00Z"), unix_time("2028-03-01T10:00:00Z").map(|t| t - 86_400));
        assert_eq!(unix_time("2026-11-25T00:00:00+0x:00"), None);
    }

    #[test]
    fn a_known_contact_with_every_section() {
        let r = reply(json!({
            "result": {
                "match": {"CONTACT": [12]},
                "contacts": [{"ID": "12", "NAME": "Anna", "LAST_NAME": "Schmidt", "COMPANY_ID": "3", "ASSIGNED_BY_ID": "2",
                    "PHONE": [{"VALUE": "030 1234567", "VALUE_TYPE": "WORK"}, {"VALUE": "+49 170 000000", "VALUE_TYPE": "MOBILE"}]}],
                "contact_companies": [{"ID": "3", "TITLE": "Müller GmbH"}],
                "responsible_contacts_0": [{"ID": "2", "NAME": "Thomas", "LAST_NAME": "Becker", "WORK_POSITION": "Account Manager"}],
                "open_deals_contacts": [
                    {"ID": "8", "TITLE": "Other client's", "CONTACT_ID": "99", "STAGE_ID": "NEW", "CATEGORY_ID": "0"},
                    {"ID": "1", "TITLE": "Contract", "CONTACT_ID": "12", "STAGE_ID": "EXECUTING", "CATEGORY_ID": "0", "OPPORTUNITY": "48000.00", "CURRENCY_ID": "EUR"}],
                "closed_deals_contacts": [{"ID": "3", "CONTACT_ID": "12", "STAGE_SEMANTIC_ID": "S"}, {"ID": "4", "CONTACT_ID": "12", "STAGE_SEMANTIC_ID": "F"}, {"ID": "5", "CONTACT_ID": "12", "STAGE_SEMANTIC_ID": "S"}],
                "open_activities_contacts": [
                    {"ID": "1", "OWNER_ID": "12", "OWNER_TYPE_ID": "3", "TYPE_ID": "3", "SUBJECT": "Send offer", "CREATED": "2026-11-20T10:00:00+00:00", "DEADLINE": "2026-11-21T10:00:00+00:00", "COMPLETED": "N"},
                    {"ID": "4", "OWNER_ID": "12", "OWNER_TYPE_ID": "3", "TYPE_ID": "1", "SUBJECT": "Visit", "CREATED": "2026-11-20T10:00:00+00:00", "DEADLINE": "2026-12-01T10:00:00+00:00", "COMPLETED": "N"},
                    {"ID": "5", "OWNER_ID": "12", "OWNER_TYPE_ID": "3", "TYPE_ID": "3", "SUBJECT": "Someday", "CREATED": "2026-11-20T10:00:00+00:00", "COMPLETED": "N"},
                    {"ID": "3", "OWNER_ID": "12", "OWNER_TYPE_ID": "4", "TYPE_ID": "2", "SUBJECT": "Company's, not hers", "CREATED": "2026-11-01T10:00:00+00:00"}],
                "done_activities_contacts": [
                    {"ID": "2", "OWNER_ID": "12", "OWNER_TYPE_ID": "3", "TYPE_ID": "2", "DIRECTION": "1", "SUBJECT": "Incoming call", "CREATED": "2026-10-01T10:00:00+00:00",
                     "START_TIME": "2026-10-01T10:00:00+00:00", "END_TIME": "2026-10-01T10:05:30+00:00", "COMPLETED": "Y"},
                    {"ID": "6", "OWNER_ID": "12", "OWNER_TYPE_ID": "3", "TYPE_ID": "4", "SUBJECT": "Offer sent", "CREATED": "2026-10-05T10:00:00+00:00",
                     "START_TIME": "2026-10-05T10:00:00+00:00", "END_TIME": "2026-10-05T10:00:00+00:00", "COMPLETED": "Y"}],
                "comments_contacts": [{"ID": "7", "ENTITY_ID": "12", "COMMENT": "Prefers calls after 2 pm.", "CREATED": "2026-11-02T10:00:00+00:00", "AUTHOR_ID": "6"},
                                      {"ID": "8", "ENTITY_ID": "12", "COMMENT": "Wants a call back.", "CREATED": "2026-11-01T10:00:00+00:00", "AUTHOR_ID": "9"}],
                "comment_author_contacts_0": [{"ID": "6", "NAME": "Claire", "LAST_NAME": "Dubois"}],
                "comment_author_contacts_1": [{"ID": "2", "NAME": "Someone", "LAST_NAME": "Else"}],
                "stages": [{"ENTITY_ID": "DEAL_STAGE", "STATUS_ID": "EXECUTING", "NAME": "In progress", "COLOR": "#47E4C2"}]
            }
        }));
        let Caller::Known(card) = read(&by_phone("49301234567"), &r, NOW).unwrap() else { panic!() };
        assert_eq!(card.name, "Anna Schmidt");
        assert_eq!(card.company.as_ref().unwrap().title, "Müller GmbH");
        assert!(card.phones[0].matched && !card.phones[1].matched);
        let Section::Ready(Some(person)) = &card.responsible else { panic!() };
        assert_eq!((person.name.as_str(), person.position.as_deref()), ("Thomas Becker", Some("Account Manager")));
        let Some(Section::Ready(deals)) = &card.deals else { panic!() };
        assert_eq!(deals.open.len(), 1, "only her deals");
        assert_eq!(deals.open[0].stage, Stage { name: "In progress".into(), color: Some("#47E4C2".into()) });
        assert_eq!((deals.won, deals.lost), (2, 1));
        let Section::Ready(acts) = &card.activities else { panic!() };
        let subjects: Vec<_> = acts.iter().map(|a| a.subject.as_str()).collect();
        // Due first, soonest (here overdue) first, no deadline last; then the last completed.
        assert_eq!(subjects, ["Send offer", "Visit", "Someday", "Offer sent", "Incoming call"]);
        assert!(acts[0].overdue && acts[0].open && !acts[1].overdue);
        assert_eq!(acts[0].due, unix_time("2026-11-21T10:00:00+00:00"));
        let call = &acts[4];
        assert_eq!((call.kind, call.incoming, call.minutes, call.open), (ActivityKind::Call, Some(true), Some(6), false));
        assert_eq!(call.ended, unix_time("2026-10-01T10:05:30+00:00"));
        assert_eq!(acts[3].minutes, None, "only calls have a length");
        let Section::Ready(comments) = &card.comments else { panic!() };
        assert_eq!(comments[0].text, "Prefers calls after 2 pm.");
        assert_eq!(comments[0].author.as_deref(), Some("Claire Dubois"));
        assert_eq!(comments[1].author, None, "the answer names someone else: no author rather than a wrong one");
    }

    #[test]
    fn the_context_part_in_a_reply_of_its_own_completes_the_card_and_the_first_answer_stands() {
        let identity = reply(json!({"result": {"match": {"CONTACT": [12]}, "contacts": [{"ID": "12", "NAME": "Anna"}]}}));
        // The context batch repeats the search; there it failed (a limit), the first one stands.
        let context = reply(json!({
            "result": {"comments_contacts": [{"ID": "7", "ENTITY_ID": "12", "COMMENT": "Prefers calls after 2 pm."}]},
            "result_error": {"match": {"error": "QUERY_LIMIT_EXCEEDED", "error_description": "Too many requests"}},
        }));
        let Caller::Known(card) = read_parts(&by_phone("49301234567"), &identity, Context::Apart(&context), NOW).unwrap() else { panic!() };
        assert_eq!(card.name, "Anna");
        let Section::Ready(comments) = &card.comments else { panic!("{:?}", card.comments) };
        assert_eq!(comments[0].text, "Prefers calls after 2 pm.");
    }

    #[test]
    fn the_clients_photo_is_its_download_address_on_the_portal_or_none() {
        let with_photo = |photo: Value| {
            let r = reply(json!({"result": {"match": {"CONTACT": [12]}, "contacts": [{"ID": "12", "NAME": "Anna", "PHOTO": photo}]}}));
            let Caller::Known(card) = read(&by_phone("49301234567"), &r, NOW).unwrap() else { panic!() };
            card.photo.clone()
        };
        let path = "/bitrix/components/bitrix/crm.contact.show/show_file.php?auth=t0k&ownerId=12&fieldName=PHOTO&dynamic=N&fileId=7";
        assert_eq!(with_photo(json!({"id": 7, "showUrl": "/x", "downloadUrl": path})).as_deref(), Some(path));
        // No photo: the portal leaves the field empty.
        assert_eq!(with_photo(json!("")), None);
        assert_eq!(with_photo(json!(7)), None);
        // Anywhere but the portal itself, or not a plain address: not followed.
        for url in ["https://elsewhere.example/p.png", "//elsewhere.example/p.png", "javascript:alert(1)", "/a b", "/a\\b"] {
            assert_eq!(with_photo(json!({"id": 7, "downloadUrl": url})), None, "{url}");
        }
    }

    #[test]
    fn the_call_history_is_the_clients_calls_newest_first_and_a_missed_one_says_so() {
        let call = |id: u64, direction: &str, start: &str, end: &str, completed: &str| {
            json!({"ID": id.to_string(), "OWNER_ID": "12", "OWNER_TYPE_ID": "3", "TYPE_ID": "2", "DIRECTION": direction,
                   "START_TIME": start, "END_TIME": end, "DEADLINE": end, "COMPLETED": completed})
        };
        let r = reply(json!({
            "result": {
                "match": {"CONTACT": [12]},
                "contacts": [{"ID": "12", "NAME": "Anna"}],
                // A missed call stays open: it is in the list of what is due.
                // A call we planned (open, outgoing) has not happened: not in the history.
                "open_activities_contacts": [call(7, "1", "2026-11-24T09:00:00Z", "2026-11-24T09:00:00Z", "N"),
                    call(10, "2", "2026-11-27T09:00:00Z", "2026-11-27T09:15:00Z", "N"),
                    {"ID": "8", "OWNER_ID": "12", "OWNER_TYPE_ID": "3", "TYPE_ID": "3", "SUBJECT": "A task", "START_TIME": "2026-11-25T09:00:00Z"}],
                "done_activities_contacts": [
                    call(5, "2", "2026-11-20T10:00:00Z", "2026-11-20T10:06:00Z", "Y"),
                    call(4, "2", "2026-11-18T10:00:00Z", "2026-11-18T10:00:00Z", "Y"),
                    call(3, "1", "2026-11-10T10:00:00Z", "2026-11-10T10:00:45Z", "Y"),
                    call(2, "3", "2026-11-09T10:00:00Z", "2026-11-09T10:01:00Z", "Y"),
                    {"ID": "9", "OWNER_ID": "99", "OWNER_TYPE_ID": "3", "TYPE_ID": "2", "DIRECTION": "1", "START_TIME": "2026-11-25T10:00:00Z"}]
            }
        }));
        let Caller::Known(card) = read(&by_phone("49301234567"), &r, NOW).unwrap() else { panic!() };
        let Section::Ready(calls) = &card.calls else { panic!() };
        let seen: Vec<_> = calls.iter().map(|c| (c.id, c.incoming, c.seconds, c.answered(), c.missed())).collect();
        // Hers only, calls only, with a direction; the newest first.
        assert_eq!(seen, [(7, true, 0, false, true), (5, false, 360, true, false), (4, false, 0, false, false), (3, true, 45, true, false)]);
    }

    #[test]
    fn what_is_due_on_the_calls_deal_is_due_on_the_card() {
        let mut o = CallCardOptions { phone_number: Some("49301234567".into()), ..Default::default() };
        o.bindings = vec![EntityRef { kind: EntityKind::Deal, id: 5 }];
        let lookup = Lookup::for_call(&o);
        let task = |id: u64, owner_type: &str, owner: &str, deadline: &str| {
            json!({"ID": id.to_string(), "OWNER_ID": owner, "OWNER_TYPE_ID": owner_type, "TYPE_ID": "2", "DIRECTION": "2", "SUBJECT": format!("#{id}"),
                   "START_TIME": deadline, "DEADLINE": deadline, "COMPLETED": "N"})
        };
        let answer = json!({
            "result": {
                "match": {"CONTACT": [12]},
                "contacts": [{"ID": "12", "NAME": "Anna"}],
                "open_activities_contacts": [task(1, "3", "12", "2026-11-28T09:00:00Z")],
                "done_activities_contacts": [],
                "bound_deal": {"ID": "5", "TITLE": "Racks", "CONTACT_ID": "12", "STAGE_ID": "NEW", "CATEGORY_ID": "0"},
                "open_deals_contacts": [],
                "closed_deals_contacts": [],
                // The deal's own, soonest first among hers; another deal's is not believed.
                "bound_deal_activities": [task(2, "2", "5", "2026-11-27T09:00:00Z"), task(3, "2", "6", "2026-11-26T09:00:00Z")]
            }
        });
        let Caller::Known(card) = read(&lookup, &reply(answer.clone()), NOW).unwrap() else { panic!() };
        let Section::Ready(acts) = &card.activities else { panic!() };
        assert_eq!(acts.iter().map(|a| a.id).collect::<Vec<_>>(), [2, 1]);
        let Section::Ready(calls) = &card.calls else { panic!() };
        assert!(calls.is_empty(), "planned calls are no history: {calls:?}");
        // The card does not show the call's deal (it could not be read): nor what is due on it.
        let Value::Object(mut result) = answer["result"].clone() else { panic!() };
        result.insert("bound_deal".into(), json!([]));
        let answer = json!({ "result": result });
        let Caller::Known(card) = read(&lookup, &reply(answer), NOW).unwrap() else { panic!() };
        let Section::Ready(acts) = &card.activities else { panic!() };
        assert_eq!(acts.iter().map(|a| a.id).collect::<Vec<_>>(), [1]);
    }

    #[test]
    fn sections_fail_on_their_own() {
        let r = reply(json!({
            "result": {"match": {"COMPANY": [2]}, "companies": [{"ID": "2", "TITLE": "Nordwind"}], "comments_companies": []},
            "result_error": {
                "open_activities_companies": {"error": "INTERNAL_SERVER_ERROR", "error_description": "Internal error"},
                "open_deals_companies": {"error": "ACCESS_DENIED", "error_description": "Access denied"}
            }
        }));
        let Caller::Known(card) = read(&by_phone("49405556677"), &r, NOW).unwrap() else { panic!() };
        assert_eq!(card.name, "Nordwind");
        assert!(matches!(&card.activities, Section::Failed(RestError::Api { error, .. }) if error.code == "INTERNAL_SERVER_ERROR"));
        assert!(matches!(&card.deals, Some(Section::Failed(RestError::Api { error, .. })) if error.code == "ACCESS_DENIED"));
        assert_eq!(card.comments, Section::Ready(vec![]));
    }

    #[test]
    fn answers_that_belong_to_someone_else_are_not_believed() {
        // No contact matched, so the portal resolved `$result[match][CONTACT]` to the whole match
        // object and listed contact 2; `$result[contacts][0][COMPANY_ID]` then read as 1.
        let r = reply(json!({
            "result": {
                "match": {"COMPANY": ["7"]},
                "contacts": [{"ID": "2", "NAME": "Somebody Else", "COMPANY_ID": "9"}],
                "contact_companies": [{"ID": "1", "TITLE": "Wrong Inc"}],
                "companies": [{"ID": "7", "TITLE": "Acme", "ASSIGNED_BY_ID": "4"}],
                "responsible_companies_0": [{"ID": "1", "NAME": "Not the responsible"}]
            }
        }));
        let Caller::Known(card) = read(&by_phone("74951234567"), &r, NOW).unwrap() else { panic!() };
        assert_eq!(card.entity, EntityRef { kind: EntityKind::Company, id: 7 });
        assert_eq!(card.responsible, Section::Ready(None));
    }

    #[test]
    fn several_matches_are_ranked_by_open_deals_then_activity() {
        let r = reply(json!({
            "result": {
                "match": {"CONTACT": [5, 29], "COMPANY": [3]},
                "contacts": [{"ID": "5", "NAME": "Ekaterina", "PHONE": [{"VALUE": "8 (812) 555-01-00", "VALUE_TYPE": "WORK"}]},
                             {"ID": "29", "NAME": "Mikhail", "PHONE": [{"VALUE": "+7 812 555-01-00"}]}],
                "companies": [{"ID": "3", "TITLE": "Severny Veter", "ASSIGNED_BY_ID": "5"}],
                "responsible_companies_0": [{"ID": "5", "NAME": "Dmitry", "LAST_NAME": "Volkov"}],
                "open_deals_companies": [{"ID": "5", "COMPANY_ID": "3", "TITLE": "Supply"}],
                "done_activities_contacts": [{"ID": "9", "OWNER_ID": "29", "OWNER_TYPE_ID": "3", "CREATED": "2026-11-10T10:00:00+00:00"},
                                        {"ID": "8", "OWNER_ID": "5", "OWNER_TYPE_ID": "3", "CREATED": "2026-10-10T10:00:00+00:00"}]
            }
        }));
        let Caller::Several(list) = read(&by_phone("78125550100"), &r, NOW).unwrap() else { panic!() };
        let order: Vec<_> = list.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(order, ["Severny Veter", "Mikhail", "Ekaterina"]);
        assert_eq!(list[0].responsible.as_deref(), Some("Dmitry Volkov"));
        assert_eq!(list[2].matched_numbers, vec!["8 (812) 555-01-00".to_string()]);
    }

    #[test]
    fn no_match_is_an_unknown_caller_and_a_failed_search_an_error() {
        let none = reply(json!({"result": {"match": [], "contacts": [{"ID": "1"}]}}));
        assert_eq!(read(&by_phone("12025550123"), &none, NOW), Ok(Caller::Unknown));
        let failed = reply(json!({"result": [], "result_error": {"match": {"error": "insufficient_scope", "error_description": ""}}}));
        assert!(matches!(read(&by_phone("12025550123"), &failed, NOW), Err(CardError::Command { key, .. }) if key == "match"));
    }

    #[test]
    fn a_bound_lead_shows_its_status_and_the_calls_deal_leads_deals() {
        let lookup = Lookup::Bound { entity: EntityRef { kind: EntityKind::Contact, id: 4 }, deal: Some(5), variants: Vec::new() };
        let r = reply(json!({
            "result": {
                "contacts": [{"ID": "4", "NAME": "Ivan"}],
                "bound_deal": {"ID": "5", "TITLE": "Equipment", "STAGE_ID": "WON", "CATEGORY_ID": "0"},
                "open_deals_contacts": [{"ID": "5", "CONTACT_ID": "4", "TITLE": "Equipment"}, {"ID": "6", "CONTACT_ID": "4", "TITLE": "Service"}]
            }
        }));
        let Caller::Known(card) = read(&lookup, &r, NOW).unwrap() else { panic!() };
        let Some(Section::Ready(deals)) = &card.deals else { panic!() };
        let titles: Vec<_> = deals.open.iter().map(|d| (d.title.as_str(), d.bound)).collect();
        assert_eq!(titles, [("Equipment", true), ("Service", false)]);

        let lead = Lookup::Bound { entity: EntityRef { kind: EntityKind::Lead, id: 3 }, deal: None, variants: Vec::new() };
        let r = reply(json!({"result": {
            "leads": [{"ID": "3", "TITLE": "Website enquiry", "COMPANY_TITLE": "Acme", "STATUS_ID": "NEW"}],
            "stages": [{"ENTITY_ID": "STATUS", "STATUS_ID": "NEW", "NAME": "Unassigned", "COLOR": "javascript:x"}]
        }}));
        let Caller::Known(card) = read(&lead, &r, NOW).unwrap() else { panic!() };
        assert_eq!(card.name, "Website enquiry");
        assert_eq!(card.status, Some(Stage { name: "Unassigned".into(), color: None }));
        assert_eq!(card.deals, None);
    }

    #[test]
    fn hostile_shapes_do_not_panic() {
        for v in [
            json!({"result": {"match": {"CONTACT": "12"}}}),
            json!({"result": {"match": {"CONTACT": [null, {}, -1, "x"]}}}),
            json!({"result": {"match": {"CONTACT": [5]}, "contacts": {"ID": "5"}}}),
            json!({"result": {"match": {"CONTACT": [5]}, "contacts": [{"ID": "5", "PHONE": "x", "EMAIL": [1, {"VALUE": {}}]}],
                   "open_activities_contacts": [{"ID": "1", "OWNER_ID": "5", "OWNER_TYPE_ID": "3", "DEADLINE": "9999-99-99T99:99:99+99:99"}],
                   "done_activities_contacts": [{"ID": "2", "OWNER_ID": "5", "OWNER_TYPE_ID": "3", "TYPE_ID": "2", "COMPLETED": "Y", "START_TIME": "2026-01-01T00:00:00Z", "END_TIME": "1970-01-01T00:00:00Z"}],
                   "comment_author_contacts_0": {"ID": "x"},
                   "stages": "nope", "open_deals_contacts": [{"CONTACT_ID": "5"}]}}),
            json!({"result": {"match": 5}}),
        ] {
            let _ = read(&by_phone("74951234567"), &reply(v), NOW);
        }
    }
}
