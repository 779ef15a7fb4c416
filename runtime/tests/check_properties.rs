//! Property test: the checks beyond the type (`whm_runtime::check`) accept
//! exactly the values a model of the spec's rules accepts, and refuse the
//! others with the reason WHM answers with.
//!
//! Each case draws random bounds and random values, sends them under the
//! parameter itself, its numbered forms (`name-1`, `name-22`) and look-alike
//! keys that are other parameters (`name-`, `name-1a`, `namex`), either as
//! single values or as comma-joined lists, and works out the expected answer
//! from how it built the values (never from the code under test):
//!
//! - `minimum`/`maximum`: a whole number (spaces around it allowed, a `+`
//!   sign too) passes when it is inside the bound, the bound itself
//!   included; anything that is not a whole number is the type's to judge
//!   and passes;
//! - `min_length`/`max_length`: the value's characters (not bytes) are
//!   counted, the bound itself included;
//! - `pattern`: the whole value must match; the patterns are drawn from
//!   character classes with counts and alternations of literals, matched by
//!   a small backtracking matcher here;
//! - a comma-joined list is checked piece by piece, each piece without the
//!   spaces around it; a single value is checked whole, spaces included;
//! - `required_if`: refused exactly when the other parameter (or one of its
//!   numbered forms) has one of the values and neither this parameter nor one
//!   of its numbered forms is sent;
//! - the first check in table order that fails answers, at the first value
//!   that fails it, naming the key it came under, the bound and the value
//!   exactly as it arrived.
//!
//! It runs 256 cases per property from a fixed seed, so CI is reproducible;
//! set `PROPTEST_CASES` and `PROPTEST_RNG_SEED` to explore further.

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};

use whm_runtime::check::{Check, Rule, apply};
use whm_runtime::query::{ParamError, Params, Problem};

fn config() -> Config {
    let mut config = Config {
        failure_persistence: None,
        ..Config::default()
    };
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = 256;
    }
    if std::env::var_os("PROPTEST_RNG_SEED").is_none() {
        config.rng_seed = RngSeed::Fixed(0x5eed_c4ec);
    }
    config
}

// ---------------------------------------------------------------------------
// Keys.

/// Parameter names, some with the characters WHM uses (`-`, `.`) and a digit at the end.
const NAMES: &[&str] = &["ttl", "max-age", "api.version", "p2"];

/// Where a value is sent, relative to the checked parameter `name`.
#[derive(Debug, Clone, Copy)]
enum Key {
    /// `name` itself.
    Plain,
    /// `name-N`.
    Numbered(u32),
    /// A key that only looks like one of `name`'s: another parameter, never checked.
    Other(&'static str),
}

impl Key {
    /// The key on the wire.
    fn wire(self, name: &str) -> String {
        match self {
            Key::Plain => name.to_owned(),
            Key::Numbered(n) => format!("{name}-{n}"),
            Key::Other(suffix) => format!("{name}{suffix}"),
        }
    }

    /// Whether the checks of `name` apply to the value sent under it.
    fn checked(self) -> bool {
        !matches!(self, Key::Other(_))
    }
}

fn key() -> impl Strategy<Value = Key> {
    prop_oneof![
        3 => Just(Key::Plain),
        3 => prop_oneof![Just(0u32), Just(1), Just(2), Just(10), Just(22)].prop_map(Key::Numbered),
        2 => proptest::sample::select(&["-", "-1a", "x", "_1", "-+1", "--1", "-1-2", "-a"][..])
            .prop_map(Key::Other),
    ]
}

// ---------------------------------------------------------------------------
// Values, each with what it means to the model.

/// One value (or one piece of a joined list) as the model knows it.
#[derive(Debug, Clone)]
struct Piece {
    /// The text sent.
    raw: String,
    /// The text a check looks at: a joined piece without the spaces around it.
    core: String,
    /// The whole number `core` is, if it is one.
    number: Option<i64>,
}

/// Spaces around a piece: `(left, right)`.
fn padding() -> impl Strategy<Value = (usize, usize)> {
    prop_oneof![3 => Just((0, 0)), 1 => (0usize..3, 0usize..3)]
}

fn padded(core: &str, (left, right): (usize, usize)) -> String {
    format!("{}{core}{}", " ".repeat(left), " ".repeat(right))
}

/// One value sent under one key: a single value, or the pieces of a joined list.
#[derive(Debug, Clone)]
struct Sent {
    key: Key,
    pieces: Vec<Piece>,
}

impl Sent {
    fn raw(&self) -> String {
        self.pieces
            .iter()
            .map(|p| p.raw.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// Values under random keys: single values (one piece each) or comma-joined lists.
fn sent(joined: bool, piece: impl Strategy<Value = Piece>) -> impl Strategy<Value = Vec<Sent>> {
    let pieces = if joined { 1..4 } else { 1..2 };
    proptest::collection::vec(
        (key(), proptest::collection::vec(piece, pieces))
            .prop_map(|(key, pieces)| Sent { key, pieces }),
        0..5,
    )
}

/// A whole number near `bound` or anywhere, or text that is no whole number.
fn number_piece(bound: i64, joined: bool) -> impl Strategy<Value = Piece> {
    const TEXT: &[&str] = &[
        "unlimited",
        "",
        "1.5",
        "-",
        "+",
        "1e3",
        "0x10",
        "5 5",
        "- 1",
        "١٢",
        "½",
        "NaN",
    ];
    let whole = (
        prop_oneof![
            3 => (-3i64..=3).prop_map(move |d| bound.saturating_add(d)),
            1 => any::<i64>(),
            1 => Just(i64::MIN),
            1 => Just(i64::MAX),
        ],
        any::<bool>(),
        padding(),
        any::<bool>(),
    )
        .prop_map(move |(n, plus, pad, tab)| {
            let core = if plus && n >= 0 {
                format!("+{n}")
            } else {
                n.to_string()
            };
            // A single value may have any whitespace around a number; a joined
            // piece loses its spaces first, then the number its other whitespace.
            let spaced = if tab { format!("\t{core}") } else { core };
            Piece {
                raw: padded(&spaced, pad),
                core: if joined { spaced } else { padded(&spaced, pad) },
                number: Some(n),
            }
        });
    let text = (proptest::sample::select(TEXT), padding()).prop_map(move |(text, pad)| Piece {
        raw: padded(text, pad),
        core: if joined {
            text.to_owned()
        } else {
            padded(text, pad)
        },
        number: None,
    });
    prop_oneof![4 => whole, 1 => text]
}

/// Characters of text values: ASCII, accented, CJK, an emoji (four bytes, one character), a tab,
/// NUL (`%00` decodes to it).
const ALPHABET: &[char] = &[
    'a', 'b', 'c', 'Z', '0', '9', '-', '_', 'é', '日', '🦀', '\t', 'x', 'y', '\0',
];

/// A piece of text around `length` characters: words of [`ALPHABET`] with single
/// spaces between them, and spaces around (which a joined piece loses).
fn text_piece(length: usize, joined: bool) -> impl Strategy<Value = Piece> {
    let word = proptest::collection::vec(proptest::sample::select(ALPHABET), 1..=length + 2)
        .prop_map(String::from_iter);
    (proptest::collection::vec(word, 0..3), padding()).prop_map(move |(words, pad)| {
        let core = words.join(" ");
        Piece {
            raw: padded(&core, pad),
            core: if joined { core } else { padded(&core, pad) },
            number: None,
        }
    })
}

// ---------------------------------------------------------------------------
// Patterns, and a matcher of their own.

/// One part of a pattern.
#[derive(Debug, Clone)]
enum Atom {
    /// `[chars]{min,max}`.
    Class {
        chars: Vec<char>,
        min: usize,
        max: usize,
    },
    /// `(?:a|b|...)`: one of the literals.
    Either(Vec<&'static str>),
}

/// Characters of classes: none is special inside `[...]` once `-` comes last.
const CLASS_CHARS: &[char] = &['a', 'b', 'c', '0', '9', '_', 'é', '日', '-'];
/// Literals of alternations: none has a character special to a regex.
const LITERALS: &[&str] = &["xy", "日本", "a", "ab", "-", "🦀", "Z9"];

fn atom() -> impl Strategy<Value = Atom> {
    prop_oneof![
        3 => (proptest::sample::subsequence(CLASS_CHARS, 1..=4), 0usize..3, 0usize..3).prop_map(
            |(chars, a, b)| Atom::Class {
                chars,
                min: a.min(b),
                max: a.max(b),
            }
        ),
        1 => proptest::sample::subsequence(LITERALS, 1..=3).prop_map(Atom::Either),
    ]
}

fn pattern_text(atoms: &[Atom]) -> String {
    atoms
        .iter()
        .map(|atom| match atom {
            // `-` is last in CLASS_CHARS, so a subsequence has it last too: a literal `-`.
            Atom::Class { chars, min, max } => {
                format!("[{}]{{{min},{max}}}", String::from_iter(chars))
            }
            Atom::Either(literals) => format!("(?:{})", literals.join("|")),
        })
        .collect()
}

/// Whether the whole of `text` matches `atoms`, by trying every way.
fn model_matches(atoms: &[Atom], text: &[char]) -> bool {
    let Some((first, rest)) = atoms.split_first() else {
        return text.is_empty();
    };
    match first {
        Atom::Class { chars, min, max } => (0..=*max).any(|n| {
            n >= *min
                && n <= text.len()
                && text[..n].iter().all(|c| chars.contains(c))
                && model_matches(rest, &text[n..])
        }),
        Atom::Either(literals) => literals.iter().any(|literal| {
            let literal: Vec<char> = literal.chars().collect();
            text.starts_with(&literal) && model_matches(rest, &text[literal.len()..])
        }),
    }
}

/// A text `atoms` match, built by choosing counts, characters and literals.
fn matching_text(atoms: Vec<Atom>) -> impl Strategy<Value = String> {
    let parts: Vec<BoxedStrategy<String>> = atoms
        .into_iter()
        .map(|atom| match atom {
            Atom::Class { chars, min, max } => {
                proptest::collection::vec(proptest::sample::select(chars), min..=max)
                    .prop_map(String::from_iter)
                    .boxed()
            }
            Atom::Either(literals) => proptest::sample::select(literals)
                .prop_map(str::to_owned)
                .boxed(),
        })
        .collect();
    parts.prop_map(|parts| parts.concat())
}

/// A text that matches, one that matches but for one character added, removed
/// or changed, or any text of the pattern's characters and others.
fn pattern_piece(atoms: Vec<Atom>, joined: bool) -> impl Strategy<Value = Piece> {
    let near = (
        matching_text(atoms),
        0usize..4,
        any::<prop::sample::Index>(),
        proptest::sample::select(ALPHABET),
    )
        .prop_map(|(text, edit, at, c)| {
            let mut chars: Vec<char> = text.chars().collect();
            match edit {
                0 if !chars.is_empty() => {
                    chars.remove(at.index(chars.len()));
                }
                1 => chars.insert(at.index(chars.len() + 1), c),
                2 if !chars.is_empty() => {
                    let i = at.index(chars.len());
                    chars[i] = c;
                }
                _ => {}
            }
            String::from_iter(chars)
        });
    let any_text = proptest::collection::vec(
        prop_oneof![
            proptest::sample::select(CLASS_CHARS),
            proptest::sample::select(ALPHABET),
        ],
        0..6,
    )
    .prop_map(String::from_iter);
    (prop_oneof![3 => near, 1 => any_text], padding()).prop_map(move |(core, pad)| Piece {
        raw: padded(&core, pad),
        core: if joined { core } else { padded(&core, pad) },
        number: None,
    })
}

// ---------------------------------------------------------------------------
// The model's answer.

/// What a rule asks for, in the words of the reason.
fn model_expected(rule: &ModelRule) -> String {
    let characters = |n: usize| if n == 1 { "character" } else { "characters" };
    match rule {
        ModelRule::Minimum(n) => format!("at least {n}"),
        ModelRule::Maximum(n) => format!("at most {n}"),
        ModelRule::MinLength(n) => format!("at least {n} {} long", characters(*n)),
        ModelRule::MaxLength(n) => format!("at most {n} {} long", characters(*n)),
        ModelRule::Pattern(_, text) => format!("text matching the pattern “{text}”"),
    }
}

/// A rule as the model knows it.
#[derive(Debug, Clone)]
enum ModelRule {
    Minimum(i64),
    Maximum(i64),
    MinLength(usize),
    MaxLength(usize),
    Pattern(Vec<Atom>, String),
}

impl ModelRule {
    fn rule(&self) -> Rule {
        match self {
            ModelRule::Minimum(n) => Rule::Minimum(*n),
            ModelRule::Maximum(n) => Rule::Maximum(*n),
            ModelRule::MinLength(n) => Rule::MinLength(*n),
            ModelRule::MaxLength(n) => Rule::MaxLength(*n),
            // Checks come from specs, so patterns are `'static`; a few leaked per case is fine.
            ModelRule::Pattern(_, text) => Rule::Pattern(Box::leak(text.clone().into_boxed_str())),
        }
    }

    fn accepts(&self, piece: &Piece) -> bool {
        match self {
            ModelRule::Minimum(n) => piece.number.is_none_or(|v| v >= *n),
            ModelRule::Maximum(n) => piece.number.is_none_or(|v| v <= *n),
            ModelRule::MinLength(n) => piece.core.chars().count() >= *n,
            ModelRule::MaxLength(n) => piece.core.chars().count() <= *n,
            ModelRule::Pattern(atoms, _) => {
                model_matches(atoms, &piece.core.chars().collect::<Vec<_>>())
            }
        }
    }
}

/// The first failure: the first rule, in order, that some checked piece fails, at the first such piece.
fn model_answer(name: &str, rules: &[ModelRule], sent: &[Sent]) -> Result<(), ParamError> {
    for rule in rules {
        for s in sent.iter().filter(|s| s.key.checked()) {
            if let Some(bad) = s.pieces.iter().find(|p| !rule.accepts(p)) {
                return Err(ParamError {
                    param: s.key.wire(name),
                    problem: Problem::Invalid {
                        expected: model_expected(rule),
                        received: bad.raw.clone(),
                    },
                });
            }
        }
    }
    Ok(())
}

/// Runs `rules` as checks of `name` on `sent` and compares with the model, reason text included.
fn check_against_model(
    name: &'static str,
    joined: bool,
    rules: &[ModelRule],
    sent: &[Sent],
) -> Result<(), TestCaseError> {
    let checks: Vec<Check> = rules
        .iter()
        .map(|r| {
            if joined {
                Check::joined(name, r.rule())
            } else {
                Check::new(name, r.rule())
            }
        })
        .collect();
    for (rule, check) in rules.iter().zip(&checks) {
        prop_assert_eq!(check.rule.expected(), model_expected(rule));
        prop_assert_eq!(check.joined, joined);
        prop_assert_eq!(check.param, name);
        // A single value is judged whole, by the rule alone, as by `apply`.
        if !joined {
            for piece in sent.iter().flat_map(|s| &s.pieces) {
                prop_assert_eq!(
                    check.rule.accepts(&piece.raw),
                    rule.accepts(piece),
                    "{:?} on {:?}",
                    check.rule,
                    piece.raw
                );
            }
        }
    }
    let params = Params::from_pairs(sent.iter().map(|s| (s.key.wire(name), s.raw())).collect());
    let got = apply(&checks, &params);
    let want = model_answer(name, rules, sent);
    prop_assert_eq!(&got, &want, "checks {:?} on {:?}", checks, params.pairs());
    if let Err(e) = got {
        let Problem::Invalid { expected, received } = &e.problem else {
            unreachable!("compared with the model's Invalid above")
        };
        prop_assert_eq!(
            e.to_string(),
            format!(
                "The “{}” parameter must be {expected}; received “{received}”.",
                e.param
            )
        );
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// The properties.

/// One or two range rules (a minimum, a maximum or both, in either order), and their first bound.
fn range_rules() -> impl Strategy<Value = (Vec<ModelRule>, i64)> {
    let bound = prop_oneof![
        4 => -1000i64..1000,
        1 => any::<i64>(),
        1 => Just(i64::MIN),
        1 => Just(i64::MAX),
    ];
    let rule = (bound, any::<bool>()).prop_map(|(n, min)| {
        if min {
            ModelRule::Minimum(n)
        } else {
            ModelRule::Maximum(n)
        }
    });
    proptest::collection::vec(rule, 1..=2).prop_map(|rules| {
        let first = match rules[0] {
            ModelRule::Minimum(n) | ModelRule::Maximum(n) => n,
            _ => unreachable!(),
        };
        (rules, first)
    })
}

fn length_rules() -> impl Strategy<Value = (Vec<ModelRule>, usize)> {
    let rule = (0usize..6, any::<bool>()).prop_map(|(n, min)| {
        if min {
            ModelRule::MinLength(n)
        } else {
            ModelRule::MaxLength(n)
        }
    });
    proptest::collection::vec(rule, 1..=2).prop_map(|rules| {
        let first = match rules[0] {
            ModelRule::MinLength(n) | ModelRule::MaxLength(n) => n,
            _ => unreachable!(),
        };
        (rules, first)
    })
}

/// A `pattern`, with zero to two length rules before or after it (as `token_name` has).
fn pattern_rules() -> impl Strategy<Value = (Vec<ModelRule>, Vec<Atom>)> {
    (
        proptest::collection::vec(atom(), 1..=3),
        length_rules(),
        0usize..3,
        any::<prop::sample::Index>(),
    )
        .prop_map(|(atoms, (lengths, _), count, at)| {
            let text = pattern_text(&atoms);
            let mut rules: Vec<ModelRule> = lengths.into_iter().take(count).collect();
            let at = at.index(rules.len() + 1);
            rules.insert(at, ModelRule::Pattern(atoms.clone(), text));
            (rules, atoms)
        })
}

/// Who a key of the `required_if` property belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Owner {
    /// `domain` or one of its numbered forms: the parameter that may be required.
    This,
    /// `type` or one of its numbered forms: the parameter whose value decides.
    Other,
    /// Another parameter.
    Neither,
}

const REQUIRED_KEYS: &[(&str, Owner)] = &[
    ("domain", Owner::This),
    ("domain-1", Owner::This),
    ("domain-07", Owner::This),
    ("domain-", Owner::Neither),
    ("domainx", Owner::Neither),
    ("domain-1a", Owner::Neither),
    ("type", Owner::Other),
    ("type-2", Owner::Other),
    ("type-10", Owner::Other),
    ("typex", Owner::Neither),
    ("type-", Owner::Neither),
    ("type-a", Owner::Neither),
    ("Type", Owner::Neither),
];

/// Values of the deciding parameter, some close to one another.
const TRIGGERS: &[&str] = &["addon", "sub", "parked", "Addon", "", "addon,sub", " addon"];

proptest! {
    #![proptest_config(config())]

    /// `minimum` and `maximum`: whole numbers inside the bounds (bounds included) pass, other text passes.
    #[test]
    fn ranges_accept_exactly_the_numbers_inside(
        name in proptest::sample::select(NAMES),
        (joined, rules, sent) in (any::<bool>(), range_rules()).prop_flat_map(|(joined, (rules, first))| {
            (Just(joined), Just(rules), sent(joined, number_piece(first, joined)))
        }),
    ) {
        check_against_model(name, joined, &rules, &sent)?;
    }

    /// `min_length` and `max_length`: characters are counted, the bounds included.
    #[test]
    fn lengths_accept_exactly_the_texts_inside(
        name in proptest::sample::select(NAMES),
        (joined, rules, sent) in (any::<bool>(), length_rules()).prop_flat_map(|(joined, (rules, first))| {
            (Just(joined), Just(rules), sent(joined, text_piece(first, joined)))
        }),
    ) {
        check_against_model(name, joined, &rules, &sent)?;
    }

    /// `pattern`: the whole value (a joined piece without its spaces) must match.
    #[test]
    fn patterns_accept_exactly_the_whole_matches(
        name in proptest::sample::select(NAMES),
        (joined, rules, sent) in (any::<bool>(), pattern_rules()).prop_flat_map(|(joined, (rules, atoms))| {
            (Just(joined), Just(rules), sent(joined, pattern_piece(atoms, joined)))
        }),
    ) {
        check_against_model(name, joined, &rules, &sent)?;
    }

    /// `required_if`: refused exactly when `type` has one of the values and no `domain` is sent.
    #[test]
    fn required_if_refuses_exactly_when_triggered_and_absent(
        values in proptest::sample::subsequence(TRIGGERS, 1..=3),
        pairs in proptest::collection::vec(
            (
                prop_oneof![
                    proptest::sample::select(REQUIRED_KEYS),
                    // Often `type` or a numbered form of it.
                    proptest::sample::select(
                        REQUIRED_KEYS.iter().filter(|(_, o)| *o == Owner::Other).copied().collect::<Vec<_>>()
                    ),
                ],
                proptest::sample::select(TRIGGERS),
            ),
            0..6,
        ),
        absent in any::<bool>(),
    ) {
        // Half the cases send no `domain` at all, so that triggers are often refused.
        let pairs: Vec<_> = pairs
            .into_iter()
            .filter(|((_, owner), _)| !(absent && *owner == Owner::This))
            .collect();
        let trigger = pairs
            .iter()
            .find(|((_, owner), value)| *owner == Owner::Other && values.contains(value))
            .map(|(_, value)| *value);
        let present = pairs.iter().any(|((_, owner), _)| *owner == Owner::This);
        let want = match trigger {
            Some(value) if !present => Err(ParamError {
                param: "domain".to_owned(),
                problem: Problem::RequiredWhen {
                    other: "type".to_owned(),
                    value: value.to_owned(),
                },
            }),
            _ => Ok(()),
        };
        let rule = Rule::RequiredIf {
            param: "type",
            values: Box::leak(values.clone().into_boxed_slice()),
        };
        // Presence is the check's business, not a value's.
        for (_, value) in &pairs {
            prop_assert!(rule.accepts(value));
        }
        prop_assert_eq!(
            rule.expected(),
            format!("sent when “type” is “{}”", values.join("” or “"))
        );
        let params = Params::from_pairs(
            pairs
                .iter()
                .map(|((key, _), value)| ((*key).to_owned(), (*value).to_owned()))
                .collect(),
        );
        let got = apply(&[Check::new("domain", rule)], &params);
        prop_assert_eq!(&got, &want, "values {:?} on {:?}", values, params.pairs());
        if let (Err(e), Some(value)) = (got, trigger) {
            prop_assert_eq!(
                e.to_string(),
                format!("The “domain” parameter is required when “type” is “{value}”.")
            );
        }
    }
}
