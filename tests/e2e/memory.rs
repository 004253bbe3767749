//! The call card's memory, which its allocator never gives back before the tab closes
//! (`src/heap.rs`, for 4.9 KB less module): it grows with what the agent does, within the bounds
//! measured here, and the portal closes the tab after the call.

use crate::harness::Agent;

#[tokio::test]
async fn a_card_kept_open_grows_its_memory_only_with_what_the_agent_does() {
    let agent = Agent::open_watching_memory("several-matches").await;
    let opened = agent.memory_mib().await;
    // The stack (1 MiB), the module's data, and the first card (measured: 2.1 MiB in all).
    assert!(opened <= 4.0, "{opened} MiB once the card is shown");

    // Twenty more cards shown in one call (measured: 7 MiB for the twenty).
    for _ in 0..20 {
        agent.click("[data-testid=candidate][data-entity='CONTACT:29']").await;
        assert_eq!(agent.text("[data-testid=client-name]").await.as_deref(), Some("Mikhail Orlov"));
        agent.click("[data-testid=back-to-matches]").await;
        assert!(agent.exists("[data-testid=chooser]").await);
    }
    let shown = agent.memory_mib().await;
    assert!(shown - opened <= 12.0, "{} MiB for 20 more cards", shown - opened);

    // A long comment typed key by key: each key brings the box's text into the module once
    // (measured: 1,080 characters, 1 MiB; 2,160, 3 MiB; the memory grows 1 MiB at a time).
    agent.click("[data-testid=candidate][data-entity='CONTACT:29']").await;
    let before = agent.memory_mib().await;
    let text = "Wants a callback on Friday about the annual contract. ".repeat(20);
    agent.type_into("[data-testid=comment-text]", &text).await;
    assert_eq!(agent.value("[data-testid=comment-text]").await.as_deref(), Some(text.as_str()));
    let typed = agent.memory_mib().await;
    assert!(typed - before <= 3.0, "{} MiB for {} characters typed", typed - before, text.len());
    agent.close().await;
}
