//! A counter belongs to the agent who opened it: nobody else acts in their name, and a
//! supervisor who takes it over does so as an event, keeping the turn in progress.

use super::*;

fn by(agent: &str, action: CounterAction) -> Command {
    Command::Counter {
        counter: "v1".into(),
        agent: agent.into(),
        action,
    }
}

#[test]
fn only_the_holder_acts_and_a_take_over_keeps_the_turn() {
    let mut s = OfficeState::new(spec(PolicySpec::default()), day(), t0());
    run(&mut s, issue("registro", "general", 1), t0()).unwrap();
    run(&mut s, issue("registro", "general", 2), t0()).unwrap();
    run(&mut s, by("ana", CounterAction::Open), t0()).unwrap();
    run(&mut s, by("ana", CounterAction::CallNext), t0()).unwrap();
    let taken = Some(DomainError::CounterTaken {
        agent: "ana".into(),
    });
    for action in [
        CounterAction::Open,
        CounterAction::CallNext,
        CounterAction::Recall,
        CounterAction::Start,
        CounterAction::Finish,
        CounterAction::NoShow,
        CounterAction::Transfer {
            service: "caja".into(),
        },
        CounterAction::Pause { reason: "x".into() },
        CounterAction::Resume,
        CounterAction::Close,
    ] {
        // Refused before anything is decided: the state cannot change.
        assert_eq!(
            decide(&s, &by("beto", action.clone()), t0()).err(),
            taken,
            "{action:?}"
        );
    }
    let current = s.counters[0].current;
    assert!(current.is_some());

    // The supervisor takes it over: the turn in progress stays, now theirs.
    let (events, _) = decide(&s, &by("sofia", CounterAction::TakeOver), t0()).unwrap();
    assert!(matches!(
        &events[..],
        [Event::CounterTakenOver { from, agent, .. }] if from == "ana" && agent == "sofia"
    ));
    run(&mut s, by("sofia", CounterAction::TakeOver), t0()).unwrap();
    assert_eq!(s.counters[0].agent.as_deref(), Some("sofia"));
    assert_eq!(s.counters[0].current, current);
    assert_eq!(
        run(&mut s, by("ana", CounterAction::Finish), t0()),
        Err(DomainError::CounterTaken {
            agent: "sofia".into()
        })
    );
    run(&mut s, by("sofia", CounterAction::Finish), t0()).unwrap();
    // Taking over what one holds already changes nothing; a free counter is just opened.
    assert!(decide(&s, &by("sofia", CounterAction::TakeOver), t0())
        .unwrap()
        .0
        .is_empty());
    run(&mut s, by("sofia", CounterAction::Close), t0()).unwrap();
    let (events, _) = decide(&s, &by("sofia", CounterAction::TakeOver), t0()).unwrap();
    assert!(matches!(&events[..], [Event::CounterOpened { .. }]));
}

#[test]
fn a_supervisor_holding_another_counter_cannot_take_one_over() {
    let mut s = OfficeState::new(spec(PolicySpec::default()), day(), t0());
    run(&mut s, by("ana", CounterAction::Open), t0()).unwrap();
    run(
        &mut s,
        Command::Counter {
            counter: "v2".into(),
            agent: "sofia".into(),
            action: CounterAction::Open,
        },
        t0(),
    )
    .unwrap();
    assert!(matches!(
        run(&mut s, by("sofia", CounterAction::TakeOver), t0()),
        Err(DomainError::AgentHasCounter { .. })
    ));
}
