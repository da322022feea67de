//! No JSON input makes the graph panic: random definitions, odd and broken.

use std::collections::HashMap;

use proptest::prelude::*;
use serde_json::{Map, Value, json};

use crate::graph::{Mark, marks_from_events, render_svg, steps};

/// A small deterministic random source, so that a seed names a definition.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, sides: usize) -> usize {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let r = self.0.wrapping_mul(0x2545_F491_4F6C_DD1D);
        (r % sides.max(1) as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.roll(100) < percent
    }
}

const NAMES: [&str; 10] = [
    "A",
    "B",
    "<x>",
    "",
    " ",
    "Ünïcødé",
    "a\"b",
    "&amp;",
    "C",
    "D",
];
const TYPES: [&str; 10] = [
    "Task", "Pass", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map", "Bogus", "",
];

/// A definition that is mostly well formed, with odd names, dangling and
/// looping edges, and groups nested up to `depth`.
fn machine(dice: &mut Dice, depth: usize) -> Value {
    let count = 1 + dice.roll(8);
    let names: Vec<String> = (0..count)
        .map(|i| format!("{}{}", NAMES[dice.roll(NAMES.len())], i))
        .collect();
    let mut states = Map::new();
    for name in &names {
        states.insert(name.clone(), state(dice, &names, depth));
    }
    json!({"StartAt": names[dice.roll(names.len())], "States": states})
}

/// A name among `names`, or now and then one that is missing.
fn target(dice: &mut Dice, names: &[String]) -> Value {
    if dice.chance(5) {
        return json!("Missing");
    }
    json!(names[dice.roll(names.len())])
}

fn state(dice: &mut Dice, names: &[String], depth: usize) -> Value {
    let kind = TYPES[dice.roll(TYPES.len())];
    let mut state = Map::new();
    state.insert("Type".into(), json!(kind));
    if dice.chance(30) {
        state.insert("Resource".into(), json!("${WorkActivityArn}"));
    }
    if dice.chance(60) {
        state.insert("Next".into(), target(dice, names));
    } else if dice.chance(70) {
        state.insert("End".into(), json!(true));
    }
    if kind == "Choice" || dice.chance(10) {
        let rules: Vec<Value> = (0..dice.roll(4))
            .map(|_| json!({"Variable": "$.x", "NumericEquals": dice.roll(3), "Next": target(dice, names)}))
            .collect();
        state.insert("Choices".into(), json!(rules));
        state.insert("Default".into(), target(dice, names));
    }
    if dice.chance(30) {
        let catcher = json!([{"ErrorEquals": ["States.ALL"], "Next": target(dice, names)}]);
        state.insert("Catch".into(), catcher);
    }
    if depth > 0 && (kind == "Parallel" || dice.chance(5)) {
        let branches: Vec<Value> = (0..dice.roll(3))
            .map(|_| machine(dice, depth - 1))
            .collect();
        state.insert("Branches".into(), json!(branches));
    }
    if depth > 0 && (kind == "Map" || dice.chance(5)) {
        state.insert("ItemProcessor".into(), machine(dice, depth - 1));
    }
    Value::Object(state)
}

/// Any JSON at all, nested a little.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        "[A-Za-z<>&\"' ]{0,6}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(
                ("StartAt|States|Type|Next|End|Branches|[A-Z]{1,3}", inner),
                0..6
            )
            .prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
        ]
    })
}

fn draw(definition: &Value) {
    let names = ["A0", "B1", "C2", "<x>0"];
    let marks: HashMap<String, Mark> = names
        .iter()
        .zip([Mark::Current, Mark::Visited, Mark::Failed, Mark::Current])
        .map(|(n, m)| ((*n).to_owned(), m))
        .collect();
    if let Ok(svg) = render_svg(definition, &marks) {
        assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>\n"));
        assert!(!svg.contains("NaN") && !svg.contains("inf"));
    }
    let _ = steps(definition, &marks);
}

proptest! {
    // Failures are shown, not saved in a file beside the source.
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn a_random_definition_never_panics(seed in any::<u64>()) {
        // Arrange
        let definition = machine(&mut Dice(seed | 1), 2);

        // Act and Assert: no panic, and a picture that is whole.
        draw(&definition);
    }

    #[test]
    fn any_json_never_panics(value in any_json()) {
        // Arrange
        let wrapped = json!({"StartAt": "A", "States": {"A": value.clone()}});

        // Act and Assert: no panic.
        draw(&value);
        draw(&wrapped);
    }

    #[test]
    fn any_history_never_panics(events in prop::collection::vec(("[A-Za-z]{0,20}", proptest::option::of("[AB]")), 0..30)) {
        // Arrange
        let events: Vec<(&str, Option<&str>)> = events.iter().map(|(e, s)| (e.as_str(), s.as_deref())).collect();

        // Act
        let marks = marks_from_events(events);

        // Assert
        prop_assert!(marks.len() <= 2);
    }
}

#[test]
fn known_odd_shapes_are_drawn_or_refused_without_panicking() {
    // Arrange
    let cases = [
        json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "A"}}}),
        json!({"StartAt": "A", "States": {"A": {"Type": "Choice", "Choices": [
            {"Variable": "$", "IsNull": true, "Next": "A"}, {"Variable": "$", "IsNull": false, "Next": "A"}],
            "Default": "A"}}}),
        json!({"StartAt": "A", "States": {"A": {"Type": "Parallel", "Branches": [], "End": true}}}),
        json!({"StartAt": "A", "States": {"A": {"Type": "Map", "Iterator": {"StartAt": "B",
            "States": {"B": {"Type": "Pass", "Next": "B"}}}, "Next": "A"}}}),
        json!({"StartAt": "", "States": {"": {"Type": ""}}}),
    ];

    for definition in cases {
        // Act and Assert
        draw(&definition);
    }
}

#[test]
fn a_graph_that_trips_the_layouts_own_checks_is_still_drawn() {
    // Arrange: found by `a_random_definition_never_panics`.
    let definition = json!({"StartAt": "a", "States": {
        "a": {"Type": "Pass", "End": true, "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "b"}]},
        "c": {"Type": "Choice", "Choices": [
            {"Variable": "$.x", "NumericEquals": 0, "Next": "b"},
            {"Variable": "$.x", "NumericEquals": 2, "Next": "a"}], "Default": "d"},
        "b": {"Type": "Task", "End": true},
        "d": {"Type": "Succeed", "Next": "c"}
    }});

    // Act
    let svg = render_svg(&definition, &HashMap::new());

    // Assert
    let svg = svg.expect("drawn by a plainer placement");
    assert_eq!(svg.matches("class=\"state ").count(), 4);
}
