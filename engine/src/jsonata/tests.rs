//! Table-driven tests of the tricky parts: parse errors, the parent operator,
//! partial application, signatures and Step Functions' functions.

use serde_json::{Value as Json, json};

use super::{Bindings, Code, Expr, Limits};

fn run(expr: &str, input: &Json) -> Result<Option<Json>, Code> {
    let limits = Limits {
        now_millis: Some(0),
        ..Limits::default()
    };
    Expr::parse(expr)
        .and_then(|e| e.evaluate_with(Some(input), &Bindings::new(), &limits))
        .map_err(|e| e.code)
}

macro_rules! gives {
    ($name:ident, $input:expr, [$($expr:expr => $result:expr),* $(,)?]) => {
        #[test]
        fn $name() {
            let input = $input;
            $(
                // Act
                let got = run($expr, &input);
                // Assert
                assert_eq!(got, Ok(Some($result)), "{}", $expr);
            )*
        }
    };
}

macro_rules! fails {
    ($name:ident, [$($expr:expr => $code:expr),* $(,)?]) => {
        #[test]
        fn $name() {
            $(
                let got = run($expr, &json!({}));
                assert_eq!(got.err(), Some($code), "{}", $expr);
            )*
        }
    };
}

gives!(paths_flatten_and_unwrap, json!({"a": [{"b": 1}, {"b": [2, 3]}]}), [
    "a.b" => json!([1, 2, 3]),
    "a[0].b" => json!(1),
    "a.b[0]" => json!([1, 2]),
    "a[b=1].b" => json!(1),
    "a.b[]" => json!([1, 2, 3]),
]);

gives!(parent_operator_reads_the_enclosing_context, json!({"o": [{"id": "x", "p": [{"n": 1}, {"n": 2}]}]}), [
    "o.p.{ 'n': n, 'id': %.id }" => json!([{"n": 1, "id": "x"}, {"n": 2, "id": "x"}]),
    "o.p[%.id = 'x'].n" => json!([1, 2]),
]);

gives!(partial_application_fills_the_holes, json!(null), [
    "($first := $substring(?, 0, 2); $first('hello'))" => json!("he"),
    "($add := function($a, $b) { $a + $b }; $inc := $add(?, 1); $inc(41))" => json!(42),
]);

gives!(signatures_take_the_context_and_wrap_arrays, json!("ctx"), [
    "$uppercase()" => json!("CTX"),
    "function($a)<a:n>{ $count($a) }(5)" => json!(1),
]);

gives!(step_functions_functions, json!(null), [
    "$partition([1,2,3,4,5], 2)" => json!([[1, 2], [3, 4], [5]]),
    "$range(0, 10, 5)" => json!([0, 5, 10]),
    "$hash('abc', 'SHA-256')" => json!("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    "$hash('abc', 'MD5')" => json!("900150983cd24fb0d6963f7d28e17f72"),
    "$random(7) = $random(7)" => json!(true),
    "$length($uuid())" => json!(36),
    "$parse('{\"a\": [1, 2]}').a[1]" => json!(2),
]);

fails!(errors_are_jsonata_codes, [
    "1 +" => Code::S0207,
    "\"abc" => Code::S0101,
    "(1; 2" => Code::S0203,
    "$x := " => Code::S0207,
    "a := 1" => Code::S0212,
    "%" => Code::S0217,
    "1 + 'a'" => Code::T2002,
    "$uppercase(1)" => Code::T0410,
    "$unknown()" => Code::T1006,
    "$hash('a', 'CRC')" => Code::D3151,
    "$parse('{')" => Code::D3150,
    "$range(1, 2, 0)" => Code::D3152,
]);

#[test]
fn deep_recursion_is_an_error_not_a_crash() {
    // Arrange
    let expr = "($f := function($n) { $n = 0 ? 0 : 1 + $f($n - 1) }; $f(100000))";
    // Act
    let got = run(expr, &json!(null));
    // Assert
    assert_eq!(got, Err(Code::U1001));
}

#[test]
fn parse_errors_carry_their_code_position_and_token() {
    // Arrange
    let cases: [(&str, Code, usize, Option<&str>); 12] = [
        ("1 +", Code::S0207, 3, None),
        ("\"abc", Code::S0101, 4, None),
        ("(1; 2", Code::S0203, 5, Some("(end)")),
        ("a := 1", Code::S0212, 4, Some(":=")),
        ("%", Code::S0217, 1, Some("parent")),
        ("{\"a\" 1}", Code::S0202, 6, Some("1")),
        ("1 ! 2", Code::S0204, 3, Some("!")),
        ("/*", Code::S0106, 0, None),
        ("`abc", Code::S0105, 4, None),
        ("$x @ 1", Code::S0214, 6, Some("@")),
        ("function(a){1}", Code::S0208, 10, None),
        ("1.5.2", Code::S0213, 3, None),
    ];
    for (expr, code, position, token) in cases {
        // Act
        let err = Expr::parse(expr).err();
        // Assert
        let got = err.map(|e| (e.code, e.position, e.token));
        assert_eq!(
            got,
            Some((code, Some(position), token.map(str::to_owned))),
            "{expr}"
        );
    }
}

gives!(parent_operator_climbs_several_levels, json!({"a": {"id": 1, "b": {"c": [{"v": "x"}, {"v": "y"}]}}}), [
    "a.b.c.{ 'v': v, 'id': %.%.id }" => json!([{"v": "x", "id": 1}, {"v": "y", "id": 1}]),
    "a.b.c[v = 'y'].%.%.id" => json!(1),
    "a.b.c#$i.{ 'i': $i, 'n': $count(%.c) }" => json!([{"i": 0, "n": 2}, {"i": 1, "n": 2}]),
]);

gives!(partial_application_of_builtins_and_chains, json!(["b", "a"]), [
    "($sep := $join(?, '-'); $sep($))" => json!("b-a"),
    "($f := $uppercase ~> $substring(?, 0, 1); $f('hello'))" => json!("H"),
    "$map($, $substringBefore(?, 'z'))" => json!(["b", "a"]),
]);

fails!(signatures_reject_what_they_do_not_take, [
    "$substring('a', 'b')" => Code::T0410,
    "$sum(['a'])" => Code::T0412,
    "function($a)<a<n>:n>{ $sum($a) }(['x'])" => Code::T0412,
    "$string(1, 2, 3)" => Code::T0410,
    "($f := function($x)<n>{ $x }; $f('a'))" => Code::T0410,
]);

#[test]
fn context_values_are_checked_against_the_signature() {
    // Arrange
    let expr = "$uppercase()";
    // Act
    let got = run(expr, &json!(5));
    // Assert
    assert_eq!(got, Err(Code::T0411));
}

fails!(infinite_numbers_are_refused_by_functions, [
    "$formatNumber(1/0, '0e0')" => Code::D1001,
    "$formatInteger(1/0, 'w')" => Code::D1001,
    "$formatBase(-1/0, 2)" => Code::D1001,
    "$string(1/0)" => Code::D3001,
    "1/0" => Code::D1001,
    "$pad('x', 1e12)" => Code::D2014,
]);

gives!(matcher_functions_stand_in_for_regexes, json!(null), [
    "($m := function($s) { $s = 'xay' ? {'match': 'a', 'start': 1, 'end': 2, 'groups': []} }; $replace('xay', $m, '-'))" => json!("x-y"),
    "($m := function($s) { {'match': 'a', 'start': 1, 'end': 2, 'groups': []} }; $contains('xay', $m))" => json!(true),
    "($m := function($s) { {'match': 'a', 'start': 1, 'end': 2, 'groups': ['g']} }; $match('xay', $m).groups)" => json!(["g"]),
]);

fails!(matchers_must_give_match_objects, [
    "$split('some text', $uppercase)" => Code::T1010,
    "$match('some text', 42)" => Code::T0410,
]);
