use super::due::*;
use super::rules::*;

const DAY: i64 = 86_400_000;
/// 2014-01-15T10:30:00Z
const CREATED: i64 = 1_389_781_800_000;
const BIG: u64 = 200 * 1024;

fn object<'a>(key: &'a str, size: u64, tags: &'a [(String, String)]) -> Candidate<'a> {
    Candidate { key, size, tags }
}

fn current<'a>(candidate: Candidate<'a>, class: &'a str) -> VersionFacts<'a> {
    VersionFacts {
        object: candidate,
        storage_class: class,
        created_ms: CREATED,
        delete_marker: false,
        noncurrent: None,
        only_version: false,
    }
}

fn transition_rule(days: i64, class: &str) -> Rule {
    Rule {
        id: "t".into(),
        transitions: vec![Transition { when: When::Days(days), storage_class: class.into() }],
        ..Rule::default()
    }
}

#[test]
fn days_round_up_to_the_next_midnight_utc() {
    // AWS's own example: created 1/15/2014 10:30 UTC, 3 days: due 1/19/2014 00:00 UTC.
    assert_eq!(days_after(CREATED, 3), 1_390_089_600_000);
    assert_eq!(days_after(0, 0), DAY);
    assert_eq!(day_of(days_after(CREATED, 30)), day_of(CREATED) + 31);
}

#[test]
fn a_transition_falls_due_at_its_midnight() {
    let rules = [transition_rule(30, "GLACIER")];
    let facts = current(object("a", BIG, &[]), "STANDARD");
    let due = days_after(CREATED, 30);
    assert_eq!(verdict(&rules, &facts, Options::default(), due - 1), Verdict::Keep);
    assert_eq!(verdict(&rules, &facts, Options::default(), due), Verdict::Transition("GLACIER".into()));
}

#[test]
fn the_latest_due_transition_wins_and_classes_only_get_colder() {
    let mut rule = transition_rule(30, "STANDARD_IA");
    rule.transitions.push(Transition { when: When::Days(90), storage_class: "DEEP_ARCHIVE".into() });
    let rules = [rule];
    let facts = current(object("a", BIG, &[]), "STANDARD");
    let at_40 = days_after(CREATED, 40);
    assert_eq!(verdict(&rules, &facts, Options::default(), at_40), Verdict::Transition("STANDARD_IA".into()));
    let at_100 = days_after(CREATED, 100);
    assert_eq!(verdict(&rules, &facts, Options::default(), at_100), Verdict::Transition("DEEP_ARCHIVE".into()));
    let archived = current(object("a", BIG, &[]), "DEEP_ARCHIVE");
    assert_eq!(verdict(&rules, &archived, Options::default(), at_100), Verdict::Keep);
}

#[test]
fn small_objects_stay_unless_the_rule_names_a_size_or_sizes_vary_by_class() {
    let rules = [transition_rule(1, "GLACIER")];
    let small = current(object("a", TRANSITION_MIN_SIZE - 1, &[]), "STANDARD");
    let later = days_after(CREATED, 5);
    assert_eq!(verdict(&rules, &small, Options::default(), later), Verdict::Keep);
    let varies = Options { min_size_varies_by_class: true };
    assert_eq!(verdict(&rules, &small, varies, later), Verdict::Transition("GLACIER".into()));
    assert_eq!(verdict(&[transition_rule(1, "STANDARD_IA")], &small, varies, later), Verdict::Keep);
    let mut sized = transition_rule(1, "STANDARD_IA");
    sized.filter.size_greater_than = Some(10);
    assert_eq!(verdict(&[sized], &small, Options::default(), later), Verdict::Transition("STANDARD_IA".into()));
}

#[test]
fn filters_match_prefix_tags_and_sizes() {
    let tags = vec![("team".to_string(), "a".to_string()), ("tier".to_string(), "cold".to_string())];
    let filter = Filter {
        prefix: "logs/".into(),
        tags: vec![("tier".into(), "cold".into())],
        size_greater_than: Some(10),
        size_less_than: Some(100),
    };
    assert!(filter.matches(&object("logs/x", 50, &tags)));
    assert!(!filter.matches(&object("data/x", 50, &tags)));
    assert!(!filter.matches(&object("logs/x", 10, &tags)));
    assert!(!filter.matches(&object("logs/x", 100, &tags)));
    assert!(!filter.matches(&object("logs/x", 50, &tags[..1])));
    assert!(Filter::default().matches(&object("anything", 0, &[])));
}

#[test]
fn expiration_wins_and_reports_the_earliest_rule() {
    let mut expire = Rule { id: "expire".into(), expiration: Some(When::Days(10)), ..Rule::default() };
    expire.filter.prefix = "tmp/".into();
    let late = Rule { id: "late".into(), expiration: Some(When::Days(20)), ..Rule::default() };
    let rules = [transition_rule(1, "GLACIER"), expire, late];
    let facts = current(object("tmp/a", BIG, &[]), "STANDARD");
    assert_eq!(verdict(&rules, &facts, Options::default(), days_after(CREATED, 10)), Verdict::ExpireCurrent);
    let (due, id) = expiration_of(&rules, &facts.object, CREATED).expect("an expiration");
    assert_eq!((due, id.as_str()), (days_after(CREATED, 10), "expire"));
    assert_eq!(expiration_of(&rules, &object("other", 1, &[]), CREATED).map(|(_, id)| id), Some("late".into()));
}

#[test]
fn expiration_by_date() {
    let date = days_after(CREATED, 2);
    let rules = [Rule { id: "d".into(), expiration: Some(When::Date(date)), ..Rule::default() }];
    let facts = current(object("a", 1, &[]), "STANDARD");
    assert_eq!(verdict(&rules, &facts, Options::default(), date - 1), Verdict::Keep);
    assert_eq!(verdict(&rules, &facts, Options::default(), date), Verdict::ExpireCurrent);
}

#[test]
fn noncurrent_versions_count_from_when_they_became_noncurrent_and_keep_the_newest() {
    let rule = Rule {
        noncurrent_expiration: Some(NoncurrentAction { days: 5, keep_newer: Some(1), storage_class: None }),
        noncurrent_transitions: vec![NoncurrentAction {
            days: 1,
            keep_newer: None,
            storage_class: Some("GLACIER".into()),
        }],
        ..Rule::default()
    };
    let rules = [rule];
    let since = CREATED + 3 * DAY;
    let version = |newer| VersionFacts {
        noncurrent: Some(Noncurrent { since_ms: since, newer_noncurrent: newer }),
        ..current(object("a", BIG, &[]), "STANDARD")
    };
    let options = Options::default();
    assert_eq!(verdict(&rules, &version(0), options, days_after(since, 1) - 1), Verdict::Keep);
    assert_eq!(verdict(&rules, &version(0), options, days_after(since, 1)), Verdict::Transition("GLACIER".into()));
    let at_5 = days_after(since, 5);
    assert_eq!(verdict(&rules, &version(0), options, at_5), Verdict::Transition("GLACIER".into()));
    assert_eq!(verdict(&rules, &version(1), options, at_5), Verdict::Remove);
}

#[test]
fn expired_object_delete_markers_go_only_when_alone() {
    let rules = [Rule { expired_object_delete_marker: true, ..Rule::default() }];
    let mut marker = current(object("a", 0, &[]), "STANDARD");
    marker.delete_marker = true;
    assert_eq!(verdict(&rules, &marker, Options::default(), CREATED), Verdict::Keep);
    marker.only_version = true;
    assert_eq!(verdict(&rules, &marker, Options::default(), CREATED), Verdict::Remove);
    assert_eq!(verdict(&[Rule::default()], &marker, Options::default(), CREATED), Verdict::Keep);
}

#[test]
fn uploads_abort_after_their_days_under_the_prefix() {
    let mut rule = Rule { abort_multipart_days: Some(7), ..Rule::default() };
    rule.filter.prefix = "up/".into();
    let rules = [rule];
    let due = days_after(CREATED, 7);
    assert!(!upload_abort_due(&rules, "up/a", CREATED, due - 1));
    assert!(upload_abort_due(&rules, "up/a", CREATED, due));
    assert!(!upload_abort_due(&rules, "down/a", CREATED, due));
}

fn disabled() -> s3s::dto::LifecycleRule {
    s3s::dto::LifecycleRule {
        abort_incomplete_multipart_upload: None,
        expiration: None,
        filter: None,
        id: None,
        noncurrent_version_expiration: None,
        noncurrent_version_transitions: None,
        prefix: None,
        status: s3s::dto::ExpirationStatus::from_static(s3s::dto::ExpirationStatus::DISABLED),
        transitions: None,
    }
}

#[test]
fn stored_configurations_become_rules() {
    use s3s::dto::*;
    let config = BucketLifecycleConfiguration {
        rules: vec![
            LifecycleRule {
                id: Some("archive".into()),
                status: ExpirationStatus::from_static(ExpirationStatus::ENABLED),
                filter: Some(LifecycleRuleFilter {
                    and: Some(LifecycleRuleAndOperator {
                        prefix: Some("logs/".into()),
                        tags: Some(vec![Tag { key: Some("k".into()), value: Some("v".into()) }]),
                        object_size_greater_than: Some(5),
                        object_size_less_than: None,
                    }),
                    ..LifecycleRuleFilter::default()
                }),
                transitions: Some(vec![s3s::dto::Transition {
                    days: Some(30),
                    date: None,
                    storage_class: Some(TransitionStorageClass::from_static(TransitionStorageClass::GLACIER)),
                }]),
                ..disabled()
            },
            disabled(),
        ],
    };
    let rules = enabled_rules(&config.rules);
    assert_eq!(rules.len(), 1);
    assert_eq!(rules[0].id, "archive");
    assert_eq!(rules[0].filter.prefix, "logs/");
    assert_eq!(rules[0].filter.tags, vec![("k".to_string(), "v".to_string())]);
    assert_eq!(rules[0].filter.size_greater_than, Some(5));
    assert_eq!(rules[0].transitions[0].when, When::Days(30));
}
