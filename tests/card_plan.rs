//! The card's one-batch plan, run natively through the sandbox's emulation of the portal's REST
//! API on the shipped data set, and read back into what the agent sees.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

use callcard::crm::card::{read, read_parts, Caller, Context, Section};
use callcard::crm::entity::{EntityKind, EntityRef};
use callcard::crm::plan::{Lookup, Part};
use callcard::launch::CallCardOptions;
use callcard::rest::batch::BatchReply;
use callcard_sandbox::crm::Crm;
use callcard_sandbox::params::parse_query;
use callcard_sandbox::rest;

/// 2026-11-25T00:00:00Z
const NOW: i64 = 1_795_564_800;

fn crm() -> Crm {
    Crm::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sandbox/data")).unwrap()
}

fn run(lookup: &Lookup) -> Caller {
    read(lookup, &reply_of(lookup, Part::Whole), NOW).unwrap()
}

fn reply_of(lookup: &Lookup, part: Part) -> BatchReply {
    let batch = lookup.batch_of(part).unwrap();
    let answer = rest::batch(&mut crm(), &parse_query(&batch.form_body()), callcard_sandbox::outcome::Policy::default()).unwrap();
    let reply = BatchReply::parse(&callcard::json::parse(&answer.result.to_string()).unwrap()).unwrap();
    assert!(reply.errors.iter().all(|(_, e)| e.description.contains("ID is not defined")), "{:?}", reply.errors);
    reply
}

fn call(number: &str) -> Lookup {
    Lookup::for_call(&CallCardOptions { phone_number: Some(number.into()), ..Default::default() })
}

#[test]
fn a_contact_found_by_an_international_number_gets_a_full_card() {
    let Caller::Known(card) = run(&call("49301234567")) else { panic!("not found") };
    let card = std::sync::Arc::unwrap_or_clone(card);
    assert_eq!(card.name, "Anna Schmidt");
    assert_eq!(card.company.unwrap().title, "Müller Logistik GmbH");
    let Section::Ready(Some(responsible)) = card.responsible else { panic!() };
    assert_eq!(responsible.name, "Thomas Becker");
    let Some(Section::Ready(deals)) = card.deals else { panic!() };
    let titles: Vec<_> = deals.open.iter().map(|d| d.title.as_str()).collect();
    assert_eq!(titles.len(), 4, "{titles:?}");
    assert!(deals.open.iter().all(|d| d.stage.color.is_some()));
    // A deal of another pipeline has its own pipeline's stage (DEAL_STAGE_1), not a raw C1:… id.
    let service = deals.open.iter().find(|d| d.title == "Forklift maintenance 2027").unwrap();
    assert_eq!(service.stage.name, "Site survey");
    // "Spare parts Q3" (won) is her company's deal, not hers; the service repair is hers.
    assert_eq!((deals.won, deals.lost), (1, 0));
    let Section::Ready(acts) = card.activities else { panic!() };
    assert!(!acts.is_empty() && acts.len() <= 5);
    let Section::Ready(comments) = card.comments else { panic!() };
    assert!(!comments.is_empty());
}

#[test]
fn a_shared_switchboard_number_offers_a_choice() {
    let Caller::Several(list) = run(&call("78125550100")) else { panic!("expected several") };
    let entities: Vec<_> = list.iter().map(|c| c.entity).collect();
    assert_eq!(entities.len(), 3, "{list:?}");
    assert!(entities.contains(&EntityRef { kind: EntityKind::Company, id: 3 }));
    assert!(entities.contains(&EntityRef { kind: EntityKind::Contact, id: 5 }));
    assert!(entities.contains(&EntityRef { kind: EntityKind::Contact, id: 29 }));
    // The company has open deals, so it comes first.
    assert_eq!(list[0].entity.kind, EntityKind::Company);
    assert!(list.iter().all(|c| !c.matched_numbers.is_empty()));
}

#[test]
fn a_company_number_never_shows_the_contact_the_portal_substituted() {
    let Caller::Known(card) = run(&call("49405556677")) else { panic!() };
    let card = std::sync::Arc::unwrap_or_clone(card);
    assert_eq!(card.entity, EntityRef { kind: EntityKind::Company, id: 2 });
    // Its people, most recently active first, five of seven.
    let Some(Section::Ready(people)) = card.people else { panic!("a company lists its people") };
    let names: Vec<_> = people.shown.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Svenja Krüger", "Finn Jensen", "Lukas Hoffmann", "Ole Petersen", "Thomas Schneider"]);
    assert_eq!(people.total, 7);
    assert_eq!(people.shown[0].phone.as_deref(), Some("+49 40 5556690"));
}

#[test]
fn a_picked_or_bound_record_is_read_the_same_way() {
    let lookup = call("79215553344").picked(EntityRef { kind: EntityKind::Lead, id: 7 });
    let Caller::Known(card) = run(&lookup) else { panic!() };
    let card = std::sync::Arc::unwrap_or_clone(card);
    assert_eq!(card.name, "Сергей Морозов");
    assert_eq!(card.status.unwrap().name, "Unassigned");
    assert_eq!(run(&call("12025550123")), Caller::Unknown);
}

#[test]
fn two_parts_read_together_are_the_one_batch_card() {
    for number in ["49301234567", "+7 812 555-01-00", "12025550123"] {
        let lookup = call(number);
        let identity = reply_of(&lookup, Part::Identity);
        let context = reply_of(&lookup, Part::Context);
        assert_eq!(read_parts(&lookup, &identity, Context::Apart(&context), NOW).unwrap(), run(&lookup), "{number}");
    }
}

#[test]
fn the_identity_part_alone_names_the_caller_and_leaves_the_rest_loading() {
    let lookup = call("49301234567");
    let identity = reply_of(&lookup, Part::Identity);
    let Caller::Known(card) = read_parts(&lookup, &identity, Context::Pending, NOW).unwrap() else { panic!("not found") };
    let card = std::sync::Arc::unwrap_or_clone(card);
    assert_eq!(card.name, "Anna Schmidt");
    assert_eq!(card.company.unwrap().title, "Müller Logistik GmbH");
    assert!(matches!(card.responsible, Section::Ready(Some(_))));
    assert_eq!(card.deals, Some(Section::Loading));
    assert_eq!((card.activities, card.comments), (Section::Loading, Section::Loading));
    // A failed context request fails its sections only.
    let down = callcard::rest::envelope::RestError::Malformed { status: 500 };
    let Caller::Known(card) = read_parts(&lookup, &identity, Context::Failed(&down), NOW).unwrap() else { panic!() };
    let card = std::sync::Arc::unwrap_or_clone(card);
    assert_eq!(card.activities, Section::Failed(down.clone()));
    assert_eq!(card.name, "Anna Schmidt");
    // Several: named at once, in the search's order, ranked when the rest comes.
    let several = call("+7 812 555-01-00");
    let Caller::Several(first) = read_parts(&several, &reply_of(&several, Part::Identity), Context::Pending, NOW).unwrap() else { panic!() };
    assert!(first.iter().all(|c| c.open_deals.is_none() && !c.name.is_empty()));
    let Caller::Several(ranked) = run(&several) else { panic!() };
    assert_eq!(ranked[0].entity, EntityRef { kind: EntityKind::Company, id: 3 });
    assert!(ranked.iter().all(|c| c.open_deals.is_some()));
}
