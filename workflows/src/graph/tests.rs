//! Whole pictures: the shipped case type, groups, marks, escaping.

use std::collections::HashMap;

use serde_json::{Value, json};

use super::*;

fn support() -> Value {
    serde_json::from_str(include_str!("../../support/support.asl.json")).expect("valid JSON")
}

fn branch(names: &[&str]) -> Value {
    let mut states = serde_json::Map::new();
    for (i, name) in names.iter().enumerate() {
        let state = match names.get(i + 1) {
            Some(next) => json!({"Type": "Pass", "Next": next}),
            None => json!({"Type": "Pass", "End": true}),
        };
        states.insert((*name).to_owned(), state);
    }
    json!({"StartAt": names[0], "States": states})
}

/// A refund: two approvals at once, then a payout per item.
fn refund() -> Value {
    json!({
        "StartAt": "Approvals",
        "States": {
            "Approvals": {
                "Type": "Parallel",
                "Branches": [branch(&["FinanceApproval"]), branch(&["ManagerApproval", "Recorded"])],
                "Catch": [{"ErrorEquals": ["Rejected"], "Next": "Refused"}],
                "Next": "PayEach"
            },
            "PayEach": {"Type": "Map", "ItemsPath": "$.Items", "ItemProcessor": branch(&["Pay"]), "Next": "Done"},
            "Refused": {"Type": "Fail", "Error": "Rejected"},
            "Done": {"Type": "Succeed"}
        }
    })
}

fn marks(pairs: &[(&str, Mark)]) -> HashMap<String, Mark> {
    pairs
        .iter()
        .map(|(name, mark)| ((*name).to_owned(), *mark))
        .collect()
}

/// The `<g>` that draws state `name`, up to its end.
fn state_group<'s>(svg: &'s str, name: &str) -> &'s str {
    let at = svg
        .find(&format!("data-state=\"{name}\""))
        .expect("the state is drawn");
    let open = svg[..at].rfind("<g ").expect("in a group");
    let close = svg[at..].find("</g>").expect("closed") + at;
    &svg[open..close]
}

#[test]
fn the_support_case_type_renders_every_state_once() {
    // Arrange
    let definition = support();

    // Act
    let svg = render_svg(&definition, &HashMap::new()).expect("renders");

    // Assert
    assert!(svg.starts_with("<svg "));
    for state in definition["States"].as_object().expect("states").keys() {
        assert_eq!(
            svg.matches(&format!("data-state=\"{state}\"")).count(),
            1,
            "{state}"
        );
    }
    assert_eq!(svg.matches("state-human").count(), 2);
    assert_eq!(svg.matches("state-nested").count(), 1);
    assert!(svg.contains("class=\"edge edge-catch\""));
    assert!(svg.contains(">States.Timeout</text>"));
    assert!(svg.contains(">= reassign</text>"));
}

#[test]
fn the_picture_is_an_image_that_scales_to_its_container() {
    // Arrange
    let definition = support();

    // Act
    let svg = render_svg(&definition, &HashMap::new()).expect("renders");

    // Assert
    let head = &svg[..svg.find('>').expect("a tag")];
    assert!(head.contains("role=\"img\"") && head.contains("viewBox=\"0 0 "));
    assert!(head.contains("width=\"100%\"") && !head.contains("height=\""));
    assert!(svg.contains("<title>Workflow of 9 steps, starting at OpenCase</title>"));
}

#[test]
fn a_frozen_support_definition_renders_as_before() {
    // Arrange
    let definition: Value =
        serde_json::from_str(include_str!("fixtures/support.asl.json")).expect("valid JSON");
    let marks = marks(&[("OpenCase", Mark::Visited), ("AssignCase", Mark::Current)]);

    // Act
    let svg = render_svg(&definition, &marks).expect("renders");

    // Assert
    insta::assert_snapshot!(svg);
}

#[test]
fn parallel_branches_and_a_map_processor_are_drawn_inside_their_groups() {
    // Arrange
    let definition = refund();

    // Act
    let svg = render_svg(&definition, &HashMap::new()).expect("renders");

    // Assert
    assert!(state_group(&svg, "Approvals").contains("class=\"state state-parallel\""));
    let (body, _) = svg
        .split_once("data-state=\"PayEach\"")
        .expect("the map is drawn");
    let approvals = body
        .rsplit_once("data-state=\"Approvals\"")
        .expect("parallel first")
        .1;
    assert_eq!(approvals.matches("<g class=\"branch\"").count(), 2);
    for inner in ["FinanceApproval", "ManagerApproval", "Recorded"] {
        assert!(
            approvals.contains(&format!("data-state=\"{inner}\"")),
            "{inner} in Approvals"
        );
    }
    let pay_each = svg.split_once("data-state=\"PayEach\"").expect("the map").1;
    assert!(pay_each.contains("<g class=\"branch\"") && pay_each.contains("data-state=\"Pay\""));
}

#[test]
fn marks_give_their_classes_and_status_words() {
    // Arrange
    let marks = marks(&[
        ("OpenCase", Mark::Visited),
        ("WorkOnCase", Mark::Current),
        ("JobFailed", Mark::Failed),
    ]);

    // Act
    let svg = render_svg(&support(), &marks).expect("renders");

    // Assert
    assert!(state_group(&svg, "OpenCase").starts_with("<g class=\"state state-pass is-visited\""));
    let work = state_group(&svg, "WorkOnCase");
    assert!(work.starts_with("<g class=\"state state-task state-human is-current\""));
    assert!(work.contains("class=\"ring\"") && work.contains("current"));
    assert!(state_group(&svg, "JobFailed").contains("is-failed"));
    assert!(!state_group(&svg, "CloseCase").contains("is-"));
    assert!(svg.contains("; now at WorkOnCase</title>"));
}

#[test]
fn every_text_is_escaped() {
    // Arrange
    let name = "<script>&\"'";
    let definition = json!({
        "Comment": "</desc><script>",
        "StartAt": name,
        "States": {name: {"Type": "Choice",
            "Choices": [{"Variable": "$.x", "StringEquals": "<b>", "Next": name}],
            "Default": "Done"},
            "Done": {"Type": "Succeed"}}
    });

    // Act
    let svg = render_svg(&definition, &marks(&[(name, Mark::Current)])).expect("renders");

    // Assert
    assert!(!svg.contains("<script") && !svg.contains("<b>"));
    assert!(svg.contains("data-state=\"&lt;script&gt;&amp;&quot;&#39;\""));
    assert!(svg.contains("&lt;/desc&gt;&lt;script&gt;"));
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    // Arrange
    let marks = marks(&[("ManagerApproval", Mark::Current)]);

    // Act
    let first = render_svg(&refund(), &marks).expect("renders");
    let second = render_svg(&refund(), &marks).expect("renders");

    // Assert
    assert_eq!(first, second);
}

#[test]
fn marks_do_not_move_anything() {
    // Arrange
    let strip = |svg: &str| {
        svg.lines()
            .filter(|l| l.starts_with("<rect x=") || l.starts_with("<path class"))
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };

    // Act
    let plain = render_svg(&support(), &HashMap::new()).expect("renders");
    let marked = render_svg(&support(), &marks(&[("IsComplete", Mark::Current)])).expect("renders");

    // Assert
    let paths = |lines: Vec<String>| {
        lines
            .into_iter()
            .filter(|l| l.starts_with("<path"))
            .collect::<Vec<_>>()
    };
    assert_eq!(paths(strip(&plain)), paths(strip(&marked)));
}

#[test]
fn definitions_that_cannot_be_drawn_are_errors() {
    // Arrange
    let cases = [
        (json!("text"), "the definition is not a JSON object"),
        (
            json!({"States": {}}),
            "the definition has no StartAt (or it is not a string)",
        ),
        (
            json!({"StartAt": "A"}),
            "the definition has no States (or it is not an object)",
        ),
        (
            json!({"StartAt": "A", "States": {}}),
            "the definition goes to \"A\", which is not among its states",
        ),
        (
            json!({"StartAt": "A", "States": {"A": 1}}),
            "state \"A\" is not a JSON object",
        ),
        (
            json!({"StartAt": "A", "States": {"A": {"Next": "A"}}}),
            "state \"A\" has no Type (or it is not a string)",
        ),
    ];

    for (definition, message) in cases {
        // Act
        let error = render_svg(&definition, &HashMap::new()).expect_err("refused");

        // Assert
        assert_eq!(error.to_string(), message);
    }
}

/// A Choice with `width` rules, each to one state of a chain back to it.
fn wide_choice(width: usize) -> Value {
    let rules: Vec<Value> = (0..width)
        .map(|i| json!({"Variable": "$.x", "NumericEquals": i, "Next": format!("T{i}")}))
        .collect();
    let mut states = serde_json::Map::new();
    states.insert(
        "C".into(),
        json!({"Type": "Choice", "Choices": rules, "Default": "T0"}),
    );
    for i in 0..width {
        let next = if i + 1 < width {
            format!("T{}", i + 1)
        } else {
            "C".into()
        };
        states.insert(format!("T{i}"), json!({"Type": "Pass", "Next": next}));
    }
    json!({"StartAt": "C", "States": states})
}

#[test]
fn a_wide_choice_over_a_long_chain_is_still_drawn() {
    // Arrange: too much for the crossing optimiser, fine for the plain placement.
    let definition = wide_choice(40);

    // Act
    let svg = render_svg(&definition, &HashMap::new()).expect("drawn");

    // Assert
    assert_eq!(svg.matches("class=\"state ").count(), 41);
}

#[test]
fn a_definition_whose_edges_reach_everywhere_is_refused() {
    // Arrange
    let definition = wide_choice(150);

    // Act
    let error = render_svg(&definition, &HashMap::new()).expect_err("refused");

    // Assert
    assert_eq!(error, GraphError::TooTangled);
    assert_eq!(steps(&definition, &HashMap::new()).len(), 151);
}

mod odd_inputs;
