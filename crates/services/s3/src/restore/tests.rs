use super::state::*;

const HOUR: i64 = 3_600_000;
/// 2012-12-18T10:00:00Z
const NOW: i64 = 1_355_824_800_000;

#[test]
fn tiers_take_their_documented_upper_bounds() {
    assert_eq!(tier_duration_ms("GLACIER", "Expedited"), Some(HOUR / 12));
    assert_eq!(tier_duration_ms("GLACIER", "Standard"), Some(5 * HOUR));
    assert_eq!(tier_duration_ms("GLACIER", "Bulk"), Some(12 * HOUR));
    assert_eq!(tier_duration_ms("DEEP_ARCHIVE", "Standard"), Some(12 * HOUR));
    assert_eq!(tier_duration_ms("DEEP_ARCHIVE", "Bulk"), Some(48 * HOUR));
    assert_eq!(tier_duration_ms("DEEP_ARCHIVE", "Expedited"), None);
    assert!(needs_restore(Some("GLACIER")) && needs_restore(Some("DEEP_ARCHIVE")));
    assert!(!needs_restore(Some("GLACIER_IR")) && !needs_restore(None));
}

#[test]
fn a_restore_runs_then_is_readable_until_it_expires() {
    let Some(Outcome::Started(record)) = request(None, "GLACIER", "Standard", 2, NOW) else { panic!("not started") };
    assert_eq!(record.ready_ms, NOW + 5 * HOUR);
    assert_eq!(record.phase(NOW), Phase::Ongoing);
    assert_eq!(restore_header(record.phase(NOW)).as_deref(), Some("ongoing-request=\"true\""));
    assert_eq!(request(Some(&record), "GLACIER", "Standard", 2, NOW + HOUR), Some(Outcome::InProgress));
    let ready = record.phase(record.ready_ms);
    assert_eq!(
        restore_header(ready).as_deref(),
        Some("ongoing-request=\"false\", expiry-date=\"Fri, 21 Dec 2012 00:00:00 GMT\"")
    );
    assert_eq!(record.phase(record.expiry_ms), Phase::Archived);
    assert_eq!(restore_header(Phase::Archived), None);
}

#[test]
fn a_repeated_request_on_a_restored_copy_moves_its_expiry() {
    let Some(Outcome::Started(record)) = request(None, "GLACIER", "Expedited", 1, NOW) else { panic!("not started") };
    let later = record.ready_ms + HOUR;
    let Some(Outcome::Extended(extended)) = request(Some(&record), "GLACIER", "Bulk", 10, later) else {
        panic!("not extended")
    };
    assert_eq!(extended.days, 10);
    assert!(extended.expiry_ms > record.expiry_ms);
    assert_eq!(extended.ready_ms, record.ready_ms);
    let after_expiry = request(Some(&record), "GLACIER", "Bulk", 1, record.expiry_ms);
    assert!(matches!(after_expiry, Some(Outcome::Started(_))));
}

#[test]
fn deep_archive_has_no_expedited_tier() {
    assert_eq!(request(None, "DEEP_ARCHIVE", "Expedited", 1, NOW), None);
}
